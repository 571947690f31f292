/**
 * Tells the demo's story on the terminal: numbered steps in plain words, with what was observed
 * indented under them. Bold and dim only on a TTY, so logs and tests read clean text.
 */
export class Narrator {
  readonly #out: NodeJS.WritableStream;
  readonly #styled: boolean;
  #step = 0;

  constructor(out: NodeJS.WritableStream, styled: boolean) {
    this.#out = out;
    this.#styled = styled;
  }

  act(title: string): void {
    this.#write(`\n${this.#bold(`== ${title} ==`)}\n`);
  }

  step(text: string): void {
    this.#step++;
    this.#write(`\n${this.#bold(`${this.#step}.`)} ${text}\n`);
  }

  /** Something observed: a response, a label, a log line. */
  saw(text: string): void {
    for (const line of text.split('\n')) this.#write(`   ${this.#dim('→')} ${line}\n`);
  }

  #write(text: string): void {
    this.#out.write(text);
  }

  #bold(text: string): string {
    return this.#styled ? `\u001b[1m${text}\u001b[22m` : text;
  }

  #dim(text: string): string {
    return this.#styled ? `\u001b[2m${text}\u001b[22m` : text;
  }
}
