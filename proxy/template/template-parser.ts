/**
 * The parser of Go's `text/template`. Like Go, it checks at parse time what it can: unknown
 * functions, undefined variables, `break` outside `range`, a missing `end`.
 */
import type { Command, Operand, ParsedTemplate, Pipeline, TemplateNode } from './template-ast.js';
import { TemplateError } from './template-error.js';
import { lexTemplate, type Token } from './template-lexer.js';

export function parseTemplate(source: string, name: string, functions: ReadonlySet<string>): ParsedTemplate {
  return new Parser(source, name, functions).parse();
}

type Terminator = 'end' | 'else' | 'eof';

class Parser {
  readonly #source: string;
  readonly #name: string;
  readonly #functions: ReadonlySet<string>;
  #tokens: Token[] = [];
  #at = 0;
  /** Variables in scope, innermost last; control structures cut it back at their end. */
  #vars: string[] = ['$'];
  #rangeDepth = 0;
  readonly #defines = new Map<string, TemplateNode[]>();

  constructor(source: string, name: string, functions: ReadonlySet<string>) {
    this.#source = source;
    this.#name = name;
    this.#functions = functions;
  }

  parse(): ParsedTemplate {
    this.#tokens = lexTemplate(this.#source, this.#name);
    const { list, end } = this.#list(true);
    if (end.terminator !== 'eof') this.#fail(end.pos, `unexpected {{${end.terminator}}}`);
    return { name: this.#name, source: this.#source, root: list, defines: this.#defines };
  }

  #fail(pos: number, message: string): never {
    throw new TemplateError(message, this.#name, this.#source, pos);
  }

  #peek(offset = 0): Token {
    return this.#tokens[Math.min(this.#at + offset, this.#tokens.length - 1)] as Token;
  }

  #next(): Token {
    const token = this.#peek();
    if (this.#at < this.#tokens.length - 1) this.#at++;
    return token;
  }

  #expect(kind: Token['kind'], context: string): Token {
    const token = this.#next();
    if (token.kind !== kind) this.#fail(token.pos, `unexpected ${describe(token)} in ${context}`);
    return token;
  }

  /**
   * Nodes until `{{end}}`, `{{else ...}}` or the end of input. For `else`, the tokens after the
   * keyword (`if ...`, `with ...` or nothing) are left for the caller.
   */
  #list(topLevel: boolean): { list: TemplateNode[]; end: { terminator: Terminator; pos: number } } {
    const list: TemplateNode[] = [];
    for (;;) {
      const token = this.#next();
      if (token.kind === 'eof') return { list, end: { terminator: 'eof', pos: token.pos } };
      if (token.kind === 'text') {
        list.push({ kind: 'text', pos: token.pos, text: token.value });
        continue;
      }
      // An action.
      const first = this.#peek();
      if (first.kind === 'keyword') {
        switch (first.value) {
          case 'end':
            this.#next();
            this.#expect('close', 'end');
            return { list, end: { terminator: 'end', pos: first.pos } };
          case 'else':
            this.#next();
            return { list, end: { terminator: 'else', pos: first.pos } };
          case 'if':
          case 'with':
          case 'range':
            this.#next();
            list.push(this.#control(first.value, first.pos));
            continue;
          case 'template':
            this.#next();
            list.push(this.#templateCall(first.pos));
            continue;
          case 'define':
            this.#next();
            if (!topLevel) this.#fail(first.pos, 'unexpected define: define is only allowed at top level');
            this.#define(first.pos, false);
            continue;
          case 'block':
            this.#next();
            list.push(this.#define(first.pos, true));
            continue;
          case 'break':
          case 'continue':
            this.#next();
            if (this.#rangeDepth === 0) this.#fail(first.pos, `{{${first.value}}} outside {{range}}`);
            this.#expect('close', first.value);
            list.push({ kind: first.value, pos: first.pos });
            continue;
        }
      }
      const pipe = this.#pipeline('command', true);
      this.#expect('close', 'command');
      list.push({ kind: 'action', pos: token.pos, pipe });
    }
  }

  /** `if`, `with`, `range`: the keyword is consumed; parses up to and including the `end`. */
  #control(keyword: 'if' | 'with' | 'range', pos: number): TemplateNode {
    const mark = this.#vars.length;
    const pipe = this.#pipeline(keyword, true);
    this.#expect('close', keyword);
    if (keyword === 'range') this.#rangeDepth++;
    const body = this.#list(false);
    if (keyword === 'range') this.#rangeDepth--;
    let elseList: TemplateNode[] | undefined;
    if (body.end.terminator === 'else') {
      const next = this.#peek();
      if ((keyword === 'if' || keyword === 'with') && next.kind === 'keyword' && next.value === keyword) {
        // `{{else if x}}` is `{{else}}{{if x}}...{{end}}`, sharing the outer `{{end}}`.
        this.#next();
        elseList = [this.#control(keyword, next.pos)];
      } else {
        this.#expect('close', 'else');
        const rest = this.#list(false);
        if (rest.end.terminator !== 'end')
          this.#fail(rest.end.pos, `expected end; found ${rest.end.terminator}`);
        elseList = rest.list;
      }
    } else if (body.end.terminator === 'eof') {
      this.#fail(pos, `unexpected EOF: {{${keyword}}} has no {{end}}`);
    }
    this.#vars.length = mark;
    return elseList
      ? { kind: keyword, pos, pipe, list: body.list, elseList }
      : { kind: keyword, pos, pipe, list: body.list };
  }

  #templateCall(pos: number): TemplateNode {
    const name = this.#expect('string', 'template clause');
    if (this.#peek().kind === 'close') {
      this.#next();
      return { kind: 'template', pos, name: name.value };
    }
    const pipe = this.#pipeline('template clause', false);
    this.#expect('close', 'template clause');
    return { kind: 'template', pos, name: name.value, pipe };
  }

  /** `define` (returns nothing useful) or `block` (returns the call of what it defines). */
  #define(pos: number, isBlock: boolean): TemplateNode {
    const context = isBlock ? 'block clause' : 'define clause';
    const name = this.#expect('string', context);
    let pipe: Pipeline | undefined;
    if (isBlock) pipe = this.#pipeline(context, false);
    this.#expect('close', context);
    const outerVars = this.#vars;
    const outerRange = this.#rangeDepth;
    this.#vars = ['$'];
    this.#rangeDepth = 0;
    const body = this.#list(false);
    this.#vars = outerVars;
    this.#rangeDepth = outerRange;
    if (body.end.terminator !== 'end') this.#fail(pos, `unexpected ${body.end.terminator} in ${context}`);
    if (this.#defines.has(name.value) && !isBlock)
      this.#fail(name.pos, `template: multiple definition of template "${name.value}"`);
    this.#defines.set(name.value, body.list);
    return pipe
      ? { kind: 'template', pos, name: name.value, pipe }
      : { kind: 'template', pos, name: name.value };
  }

  /** `[$x[, $y] :=|=] command [| command]...`, up to (not including) `}}` or `)`. */
  #pipeline(context: string, allowDeclarations: boolean): Pipeline {
    const pos = this.#peek().pos;
    const vars: string[] = [];
    let isAssign = false;
    if (allowDeclarations && this.#peek().kind === 'variable') {
      const one = this.#peek();
      const after = this.#peek(1);
      const isDecl = (t: Token) => t.kind === 'declare' || t.kind === 'assign';
      if (isDecl(after)) {
        vars.push(one.value);
        isAssign = after.kind === 'assign';
        this.#at += 2;
      } else if (after.kind === 'comma' && context === 'range') {
        const two = this.#peek(2);
        const op = this.#peek(3);
        if (two.kind !== 'variable' || !isDecl(op)) this.#fail(after.pos, 'too many declarations in range');
        vars.push(one.value, two.value);
        isAssign = op.kind === 'assign';
        this.#at += 4;
      }
    }
    const commands: Command[] = [];
    for (;;) {
      const command = this.#command(context);
      commands.push(command);
      if (this.#peek().kind !== 'pipe') break;
      this.#next();
    }
    if (isAssign) {
      for (const name of vars)
        if (!this.#vars.includes(name)) this.#fail(pos, `undefined variable "${name}"`);
    } else {
      this.#vars.push(...vars);
    }
    return { pos, vars, isAssign, commands };
  }

  #command(context: string): Command {
    const pos = this.#peek().pos;
    const args: Operand[] = [];
    for (;;) {
      const token = this.#peek();
      if (
        token.kind === 'close' ||
        token.kind === 'rightParen' ||
        token.kind === 'pipe' ||
        token.kind === 'eof'
      ) {
        break;
      }
      if (args.length > 0 && !token.spaceBefore && token.kind !== 'leftParen') {
        this.#fail(token.pos, `missing space before ${describe(token)}`);
      }
      args.push(this.#operand());
    }
    if (args.length === 0) this.#fail(this.#peek().pos, `missing value for ${context}`);
    const first = args[0] as Operand;
    if (args.length > 1 && first.kind === 'constant') {
      this.#fail(first.pos, `can't give argument to non-function ${this.#text(first.pos)}`);
    }
    return { pos, args };
  }

  #operand(): Operand {
    const token = this.#next();
    let operand: Operand;
    switch (token.kind) {
      case 'dot':
        operand = { kind: 'dot', pos: token.pos };
        break;
      case 'field': {
        const chain = [token.value, ...this.#chain()];
        return { kind: 'field', pos: token.pos, chain };
      }
      case 'variable':
        if (!this.#vars.includes(token.value)) this.#fail(token.pos, `undefined variable "${token.value}"`);
        return { kind: 'variable', pos: token.pos, name: token.value, chain: this.#chain() };
      case 'identifier': {
        if (!this.#functions.has(token.value)) this.#fail(token.pos, `function "${token.value}" not defined`);
        const call: Operand = { kind: 'function', pos: token.pos, name: token.value };
        const chain = this.#chain();
        if (chain.length === 0) return call;
        // `fn.field`: the field of what fn returns, as `(fn).field`.
        const pipe = {
          pos: token.pos,
          vars: [],
          isAssign: false,
          commands: [{ pos: token.pos, args: [call] }],
        };
        return { kind: 'pipe', pos: token.pos, pipe, chain };
      }
      case 'leftParen': {
        const pipe = this.#pipeline('parenthesized pipeline', true);
        this.#expect('rightParen', 'parenthesized pipeline');
        return { kind: 'pipe', pos: token.pos, pipe, chain: this.#chain() };
      }
      case 'string':
        operand = { kind: 'constant', pos: token.pos, value: token.value };
        break;
      case 'number':
        operand = { kind: 'constant', pos: token.pos, value: this.#number(token) };
        break;
      case 'char':
        operand = { kind: 'constant', pos: token.pos, value: Number(token.value) };
        break;
      case 'bool':
        operand = { kind: 'constant', pos: token.pos, value: token.value === 'true' };
        break;
      case 'nil':
        operand = { kind: 'constant', pos: token.pos, value: null };
        break;
      default:
        this.#fail(token.pos, `unexpected ${describe(token)} in operand`);
    }
    const after = this.#peek();
    if (after.kind === 'field' && !after.spaceBefore) {
      this.#fail(after.pos, `unexpected . after term ${JSON.stringify(this.#text(token.pos))}`);
    }
    return operand;
  }

  /** Fields written right after an operand, without space: `$x.a.b`, `(pipe).a`. */
  #chain(): string[] {
    const chain: string[] = [];
    while (this.#peek().kind === 'field' && !this.#peek().spaceBefore) chain.push(this.#next().value);
    return chain;
  }

  #number(token: Token): number {
    const text = token.value.replaceAll('_', '');
    const sign = text.startsWith('-') ? -1 : 1;
    const digits = text.replace(/^[+-]/, '');
    let value: number;
    if (/^0[xX][0-9a-fA-F]+$/.test(digits)) value = Number.parseInt(digits.slice(2), 16);
    else if (/^0[bB][01]+$/.test(digits)) value = Number.parseInt(digits.slice(2), 2);
    else if (/^0[oO]?[0-7]+$/.test(digits)) value = Number.parseInt(digits.replace(/^0[oO]?/, ''), 8);
    else value = Number(digits);
    if (!Number.isFinite(value) || digits === '' || digits === '.') {
      this.#fail(token.pos, `bad number syntax: "${token.value}"`);
    }
    return sign * value;
  }

  #text(pos: number): string {
    return /^[^\s}|)]+/.exec(this.#source.slice(pos))?.[0] ?? '';
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'close':
      return '"}}"';
    case 'eof':
      return 'EOF';
    case 'string':
      return `quoted string ${JSON.stringify(token.value)}`;
    case 'field':
      return `field .${token.value}`;
    default:
      return `"${token.value}"`;
  }
}
