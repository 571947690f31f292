/**
 * Traefik takes every certificate, key and CA setting as either a file path or the PEM text
 * itself (`certFile: "-----BEGIN CERTIFICATE-----..."`), and ACME providers emit the latter.
 * Files are read when the TLS configuration is built, so a missing file is an error of that
 * object, named with its file and key path, and nothing else.
 */
import { readFileSync } from 'node:fs';
import { AffineurError } from '../../src/errors/affineur-error.js';

export interface PemPlace {
  /** The key path of the setting, e.g. `tls.certificates[2].keyFile`. */
  keyPath: string;
  /** The configuration file the setting was written in, if any. */
  file?: string | undefined;
}

export function isInlinePem(value: string): boolean {
  return value.includes('-----BEGIN');
}

export function readPem(value: string, place: PemPlace): string {
  let text: string;
  if (isInlinePem(value)) text = value;
  else {
    try {
      text = readFileSync(value, 'utf8');
    } catch (error) {
      throw new AffineurError(
        'AFF_ERR_PROXY_TLS_CERTIFICATE',
        `cannot read "${value}": ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}.`,
        {
          ...(place.file ? { file: place.file } : {}),
          keyPath: place.keyPath,
          hint: 'Give the path of a PEM file affineur can read, or the PEM text itself.',
          cause: error,
        },
      );
    }
  }
  if (!isInlinePem(text)) {
    throw new AffineurError('AFF_ERR_PROXY_TLS_CERTIFICATE', `${describe(value)} holds no PEM block.`, {
      ...(place.file ? { file: place.file } : {}),
      keyPath: place.keyPath,
      hint: 'Certificates and keys are PEM ("-----BEGIN ...").',
    });
  }
  return text;
}

/** How to name the value in a message: its path, never the PEM (a key must not reach a log). */
export function describe(value: string): string {
  return isInlinePem(value) ? 'the inline PEM' : `"${value}"`;
}
