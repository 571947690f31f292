/**
 * The user list of basicAuth and digestAuth: the `users` entries merged with the lines of
 * `usersFile`. As Traefik documents, a user named in both keeps the file's entry.
 */
import { readFileSync } from 'node:fs';
import { AffineurError } from '../../../src/errors/affineur-error.js';

export function readUserLines(
  users: readonly string[],
  usersFile: string | undefined,
  keyPath: string,
): string[] {
  if (usersFile === undefined || usersFile === '') return [...users];
  let text: string;
  try {
    text = readFileSync(usersFile, 'utf8');
  } catch (error) {
    throw new AffineurError('AFF_ERR_CONFIG_READ', `cannot read usersFile "${usersFile}".`, {
      keyPath: `${keyPath}.usersFile`,
      hint: 'Check the path (relative paths start from the directory affineur runs in) and its permissions.',
      cause: error,
    });
  }
  const fromFile = text.split(/\r?\n/);
  const namesInFile = new Set(fromFile.map((line) => line.trim().split(':')[0]).filter(Boolean));
  return [...users.filter((line) => !namesInFile.has(line.trim().split(':')[0])), ...fromFile];
}
