import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { parse as parseToml, TomlError } from 'smol-toml';
import { LineCounter, parseDocument } from 'yaml';
import { AffineurError } from '../errors/affineur-error.js';
import { type LineLocator, locateInJson, locateInToml, locateInYaml } from './locate-key.js';

export type ConfigFormat = 'yaml' | 'toml' | 'json';

export interface ConfigFile {
  path: string;
  format: ConfigFormat;
  text: string;
  value: unknown;
  /** Finds the line of a key path in this file, for error messages. */
  locate: LineLocator;
}

export function formatFromPath(path: string): ConfigFormat {
  switch (extname(path).toLowerCase()) {
    case '.yml':
    case '.yaml':
      return 'yaml';
    case '.toml':
      return 'toml';
    case '.json':
      return 'json';
    default:
      throw new AffineurError('AFF_ERR_CONFIG_FORMAT', `cannot tell the format of "${path}".`, {
        file: path,
        hint: 'Name the file with a .yml, .yaml, .toml or .json extension.',
      });
  }
}

export async function readConfigFile(path: string): Promise<ConfigFile> {
  const format = formatFromPath(path);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    const reason = (cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read';
    throw new AffineurError('AFF_ERR_CONFIG_READ', `the configuration file ${reason}.`, {
      file: path,
      cause,
      hint: 'Check the path given with --configFile.',
    });
  }
  return parseConfigText(text, path, format);
}

export function parseConfigText(
  text: string,
  path: string,
  format: ConfigFormat = formatFromPath(path),
): ConfigFile {
  switch (format) {
    case 'yaml':
      return parseYaml(text, path);
    case 'toml':
      return parseTomlFile(text, path);
    case 'json':
      return parseJsonFile(text, path);
  }
}

function parseYaml(text: string, path: string): ConfigFile {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const [first] = document.errors;
  if (first) {
    const line = lineCounter.linePos(first.pos[0]).line;
    throw new AffineurError('AFF_ERR_CONFIG_PARSE', `invalid YAML: ${first.message.split('\n')[0]}`, {
      file: path,
      line,
      hint: 'Fix the YAML syntax at that line (indentation, a missing colon, or an unclosed quote).',
    });
  }
  return {
    path,
    format: 'yaml',
    text,
    value: document.toJS() ?? {},
    locate: (keyPath) => locateInYaml(document, lineCounter, keyPath),
  };
}

function parseTomlFile(text: string, path: string): ConfigFile {
  try {
    return {
      path,
      format: 'toml',
      text,
      value: parseToml(text),
      locate: (keyPath) => locateInToml(text, keyPath),
    };
  } catch (cause) {
    const line = cause instanceof TomlError ? cause.line : undefined;
    const reason = (cause as Error).message.split('\n')[0];
    throw new AffineurError('AFF_ERR_CONFIG_PARSE', `invalid TOML: ${reason}`, {
      file: path,
      ...(line === undefined ? {} : { line }),
      hint: 'Fix the TOML syntax at that line.',
      cause,
    });
  }
}

function parseJsonFile(text: string, path: string): ConfigFile {
  try {
    return {
      path,
      format: 'json',
      text,
      value: JSON.parse(text),
      locate: (keyPath) => locateInJson(text, keyPath),
    };
  } catch (cause) {
    const position = /position (\d+)/.exec((cause as Error).message)?.[1];
    const line = position === undefined ? undefined : text.slice(0, Number(position)).split('\n').length;
    throw new AffineurError('AFF_ERR_CONFIG_PARSE', `invalid JSON: ${(cause as Error).message}`, {
      file: path,
      ...(line === undefined ? {} : { line }),
      hint: 'Fix the JSON syntax at that line.',
      cause,
    });
  }
}
