/**
 * Apache's MD5-based `$apr1$` password hash, the default of `htpasswd -m` and the form Traefik's
 * documentation uses for basicAuth users. Node has no built-in for it, and the maintained npm
 * packages for it are unmaintained wrappers, so it is written here from the published algorithm.
 */
import { createHash } from 'node:crypto';

const alphabet = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';
const magic = '$apr1$';

export function apr1Hash(password: string, salt: string): string {
  const pw = Buffer.from(password, 'utf8');
  const saltBytes = Buffer.from(salt.slice(0, 8), 'utf8');

  const alternate = createHash('md5').update(pw).update(saltBytes).update(pw).digest();
  const context = createHash('md5').update(pw).update(magic).update(saltBytes);
  for (let left = pw.length; left > 0; left -= 16) context.update(alternate.subarray(0, Math.min(left, 16)));
  for (let bits = pw.length; bits > 0; bits >>= 1)
    context.update(bits & 1 ? Buffer.of(0) : pw.subarray(0, 1));
  let digest = context.digest();

  // 1000 rounds, as the algorithm prescribes, to slow down brute force.
  for (let round = 0; round < 1000; round++) {
    const step = createHash('md5');
    step.update(round & 1 ? pw : digest);
    if (round % 3) step.update(saltBytes);
    if (round % 7) step.update(pw);
    step.update(round & 1 ? digest : pw);
    digest = step.digest();
  }

  const at = (i: number) => digest[i] as number;
  const encoded =
    encode64((at(0) << 16) | (at(6) << 8) | at(12), 4) +
    encode64((at(1) << 16) | (at(7) << 8) | at(13), 4) +
    encode64((at(2) << 16) | (at(8) << 8) | at(14), 4) +
    encode64((at(3) << 16) | (at(9) << 8) | at(15), 4) +
    encode64((at(4) << 16) | (at(10) << 8) | at(5), 4) +
    encode64(at(11), 2);
  return `${magic}${saltBytes.toString('utf8')}$${encoded}`;
}

function encode64(value: number, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out += alphabet[rest & 0x3f];
    rest >>= 6;
  }
  return out;
}
