/**
 * Executes a parsed Go template against data, following text/template's rules: fields of maps
 * (a missing key is "no value"), method-like function fields, pipelines passing their value as
 * the last argument, variables scoped to their control structure, `range` over lists, maps (in
 * key order) and integers, `break`/`continue`, and `and`/`or` that stop at the deciding operand.
 */
import { ArgumentError, type TemplateFunction } from './go-builtins.js';
import { formatGoValue, goTypeName, isGoMap, isTrue, sortedKeys } from './go-values.js';
import type { Command, Operand, ParsedTemplate, Pipeline, TemplateNode } from './template-ast.js';
import { TemplateError } from './template-error.js';

/** Go's `maxExecDepth` is 100000 for a goroutine stack; a JS stack needs far less. */
const maxTemplateDepth = 200;

const noFinal = Symbol('no final value');
type Final = unknown;

class BreakSignal {}
class ContinueSignal {}
const breakSignal = new BreakSignal();
const continueSignal = new ContinueSignal();

/** An execution error before it is placed (file, line, column) by the action that raised it. */
class ExecError extends Error {
  readonly pos: number | undefined;

  constructor(message: string, pos?: number) {
    super(message);
    this.pos = pos;
  }
}

/** Exact argument counts Go checks for its builtins; Sprig functions have theirs from Go types. */
const arity: Record<string, [min: number, max: number]> = {
  not: [1, 1],
  len: [1, 1],
  index: [1, Number.POSITIVE_INFINITY],
  slice: [1, 4],
  printf: [1, Number.POSITIVE_INFINITY],
  eq: [1, Number.POSITIVE_INFINITY],
  ne: [2, 2],
  lt: [2, 2],
  le: [2, 2],
  gt: [2, 2],
  ge: [2, 2],
  call: [1, Number.POSITIVE_INFINITY],
  env: [1, 1],
  lower: [1, 1],
  upper: [1, 1],
  trim: [1, 1],
  replace: [3, 3],
  split: [2, 2],
  splitList: [2, 2],
  join: [2, 2],
  default: [1, 2],
  until: [1, 1],
  untilStep: [3, 3],
  normalize: [1, 1],
  ternary: [3, 3],
  trimPrefix: [2, 2],
  trimSuffix: [2, 2],
  hasPrefix: [2, 2],
  hasSuffix: [2, 2],
  contains: [2, 2],
};

export function executeTemplate(
  template: ParsedTemplate,
  data: unknown,
  functions: Readonly<Record<string, TemplateFunction>>,
): string {
  return new Execution(template, functions).run(data);
}

class Execution {
  readonly #template: ParsedTemplate;
  readonly #functions: Readonly<Record<string, TemplateFunction>>;
  #out: string[] = [];
  #vars: { name: string; value: unknown }[] = [];
  #depth = 0;
  /** The template being executed, as Go names it in errors: the file, or a `define`d name. */
  #executing: string;

  constructor(template: ParsedTemplate, functions: Readonly<Record<string, TemplateFunction>>) {
    this.#template = template;
    this.#functions = functions;
    this.#executing = template.name;
  }

  run(data: unknown): string {
    this.#vars = [{ name: '$', value: data }];
    this.#walk(this.#template.root, data);
    return this.#out.join('');
  }

  #fail(pos: number, message: string, cause?: unknown): never {
    const { source, name } = this.#template;
    const at = /^[^}\n]*?(?=\s*-?}}|$)/.exec(source.slice(pos))?.[0].trim() ?? '';
    throw new TemplateError(
      `executing "${this.#executing}" at <${at}>: ${message}`,
      name,
      source,
      pos,
      cause,
    );
  }

  #walk(nodes: readonly TemplateNode[], dot: unknown): void {
    for (const node of nodes) {
      switch (node.kind) {
        case 'text':
          this.#out.push(node.text);
          break;
        case 'action': {
          const value = this.#pipelineAt(node.pipe, dot);
          if (node.pipe.vars.length === 0) this.#print(value, node.pos);
          break;
        }
        case 'if':
        case 'with': {
          const mark = this.#vars.length;
          const value = this.#pipelineAt(node.pipe, dot);
          if (isTrue(value)) this.#walk(node.list, node.kind === 'with' ? value : dot);
          else if (node.elseList) this.#walk(node.elseList, dot);
          this.#vars.length = mark;
          break;
        }
        case 'range':
          this.#range(node, dot);
          break;
        case 'template':
          this.#callTemplate(node, dot);
          break;
        case 'break':
          throw breakSignal;
        case 'continue':
          throw continueSignal;
      }
    }
  }

  #print(value: unknown, pos: number): void {
    if (typeof value === 'function') this.#fail(pos, "can't print a function value");
    this.#out.push(formatGoValue(value, true));
  }

  #range(node: Extract<TemplateNode, { kind: 'range' }>, dot: unknown): void {
    const mark = this.#vars.length;
    const value = this.#pipelineAt(node.pipe, dot);
    const { vars } = node.pipe;
    const entries: [unknown, unknown][] = [];
    if (Array.isArray(value)) for (const [i, element] of value.entries()) entries.push([i, element]);
    else if (isGoMap(value)) for (const key of sortedKeys(value)) entries.push([key, value[key]]);
    else if (value instanceof Map) {
      for (const key of [...value.keys()].sort()) entries.push([key, value.get(key)]);
    } else if (typeof value === 'number' && Number.isInteger(value)) {
      if (vars.length > 1) this.#fail(node.pos, `can't use ${value} to iterate over more than one variable`);
      for (let i = 0; i < value; i++) entries.push([i, i]);
    } else if (value !== undefined && value !== null) {
      this.#fail(node.pos, `range can't iterate over ${formatGoValue(value, false)}`);
    }
    if (entries.length === 0) {
      if (node.elseList) this.#walk(node.elseList, dot);
      this.#vars.length = mark;
      return;
    }
    for (const [key, element] of entries) {
      // With one variable it gets the element; with two, the key (index) and the element. The
      // pipeline already declared them (or they exist outside, for `=`): each iteration sets them.
      if (vars.length === 1) this.#setVar(vars[0] as string, element, true);
      if (vars.length === 2) {
        this.#setVar(vars[0] as string, key, true);
        this.#setVar(vars[1] as string, element, true);
      }
      const inner = this.#vars.length;
      try {
        this.#walk(node.list, element);
      } catch (signal) {
        if (signal === breakSignal) {
          this.#vars.length = inner;
          break;
        }
        if (signal !== continueSignal) throw signal;
      }
      this.#vars.length = inner;
    }
    this.#vars.length = mark;
  }

  #callTemplate(node: Extract<TemplateNode, { kind: 'template' }>, dot: unknown): void {
    const body = this.#template.defines.get(node.name);
    if (!body) this.#fail(node.pos, `no such template "${node.name}"`);
    const value = node.pipe ? this.#pipelineAt(node.pipe, dot) : undefined;
    if (++this.#depth > maxTemplateDepth) {
      this.#fail(node.pos, `exceeded maximum template depth (${maxTemplateDepth})`);
    }
    const outer = this.#vars;
    const outerName = this.#executing;
    this.#vars = [{ name: '$', value }];
    this.#executing = node.name;
    try {
      this.#walk(body, value);
    } finally {
      this.#vars = outer;
      this.#executing = outerName;
      this.#depth--;
    }
  }

  /** A pipeline, with any error placed at the command that raised it. */
  #pipelineAt(pipe: Pipeline, dot: unknown): unknown {
    try {
      return this.#pipeline(pipe, dot);
    } catch (error) {
      if (error instanceof ExecError) this.#fail(error.pos ?? pipe.pos, error.message, error);
      throw error;
    }
  }

  #pipeline(pipe: Pipeline, dot: unknown): unknown {
    let value: unknown = noFinal;
    for (const command of pipe.commands) value = this.#command(command, dot, value);
    for (const name of pipe.vars) {
      // `range` sets its variables per iteration; elsewhere they get the pipeline's value.
      if (pipe.vars.length === 1) this.#setVar(name, value, pipe.isAssign);
      else this.#setVar(name, undefined, pipe.isAssign);
    }
    return value;
  }

  #setVar(name: string, value: unknown, isAssign: boolean): void {
    if (!isAssign) {
      this.#vars.push({ name, value });
      return;
    }
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const slot = this.#vars[i] as { name: string; value: unknown };
      if (slot.name === name) {
        slot.value = value;
        return;
      }
    }
    throw new ExecError(`undefined variable: ${name}`);
  }

  #variable(name: string, pos: number): unknown {
    for (let i = this.#vars.length - 1; i >= 0; i--) {
      const slot = this.#vars[i] as { name: string; value: unknown };
      if (slot.name === name) return slot.value;
    }
    throw new ExecError(`undefined variable: ${name}`, pos);
  }

  #command(command: Command, dot: unknown, final: Final): unknown {
    const [first, ...rest] = command.args as [Operand, ...Operand[]];
    switch (first.kind) {
      case 'function':
        return this.#callFunction(first.name, first.pos, rest, dot, final);
      case 'field':
        return this.#fieldChain(dot, first.chain, first.pos, rest, dot, final);
      case 'variable': {
        const value = this.#variable(first.name, first.pos);
        if (first.chain.length === 0) {
          this.#notAFunction(command, final);
          return value;
        }
        return this.#fieldChain(value, first.chain, first.pos, rest, dot, final);
      }
      case 'pipe': {
        const value = this.#pipeline(first.pipe, dot);
        if (first.chain.length === 0) {
          this.#notAFunction(command, final);
          return value;
        }
        return this.#fieldChain(value, first.chain, first.pos, rest, dot, final);
      }
      case 'dot':
        this.#notAFunction(command, final);
        return dot;
      case 'constant':
        if (first.value === null) throw new ExecError('nil is not a command', first.pos);
        this.#notAFunction(command, final);
        return first.value;
    }
  }

  #notAFunction(command: Command, final: Final): void {
    if (command.args.length > 1 || final !== noFinal) {
      const first = command.args[0] as Operand;
      throw new ExecError(`can't give argument to non-function ${describeOperand(first)}`, first.pos);
    }
  }

  #argument(operand: Operand, dot: unknown): unknown {
    switch (operand.kind) {
      case 'dot':
        return dot;
      case 'constant':
        return operand.value;
      case 'field':
        return this.#fieldChain(dot, operand.chain, operand.pos, [], dot, noFinal);
      case 'variable': {
        const value = this.#variable(operand.name, operand.pos);
        return operand.chain.length === 0
          ? value
          : this.#fieldChain(value, operand.chain, operand.pos, [], dot, noFinal);
      }
      case 'pipe': {
        const value = this.#pipeline(operand.pipe, dot);
        return operand.chain.length === 0
          ? value
          : this.#fieldChain(value, operand.chain, operand.pos, [], dot, noFinal);
      }
      case 'function':
        return this.#callFunction(operand.name, operand.pos, [], dot, noFinal);
    }
  }

  #fieldChain(
    receiver: unknown,
    chain: readonly string[],
    pos: number,
    args: readonly Operand[],
    dot: unknown,
    final: Final,
  ): unknown {
    let current = receiver;
    chain.forEach((name, i) => {
      const last = i === chain.length - 1;
      current = this.#field(current, name, pos, last ? args : [], dot, last ? final : noFinal);
    });
    return current;
  }

  #field(
    receiver: unknown,
    name: string,
    pos: number,
    args: readonly Operand[],
    dot: unknown,
    final: Final,
  ): unknown {
    const hasArgs = args.length > 0 || final !== noFinal;
    if (receiver === undefined) return undefined;
    if (receiver === null) throw new ExecError(`nil pointer evaluating interface {}.${name}`, pos);
    const callWith = (fn: TemplateFunction, self: unknown) => {
      const values = args.map((a) => this.#argument(a, dot));
      if (final !== noFinal) values.push(final);
      try {
        return fn.apply(self, values);
      } catch (error) {
        throw new ExecError(`error calling ${name}: ${(error as Error).message}`, pos);
      }
    };
    if (receiver instanceof Map) {
      if (hasArgs) throw new ExecError(`${name} is not a method but has arguments`, pos);
      return receiver.get(name);
    }
    if (isGoMap(receiver)) {
      const value = Object.hasOwn(receiver, name) ? receiver[name] : undefined;
      if (typeof value === 'function') return callWith(value as TemplateFunction, receiver);
      if (hasArgs) throw new ExecError(`${name} is not a method but has arguments`, pos);
      return value;
    }
    if (typeof receiver === 'object' && name in receiver) {
      const value = (receiver as Record<string, unknown>)[name];
      if (typeof value === 'function') return callWith(value as TemplateFunction, receiver);
      if (hasArgs) throw new ExecError(`${name} has arguments but cannot be invoked as function`, pos);
      return value;
    }
    throw new ExecError(`can't evaluate field ${name} in type ${goTypeName(receiver)}`, pos);
  }

  #callFunction(
    name: string,
    pos: number,
    argNodes: readonly Operand[],
    dot: unknown,
    final: Final,
  ): unknown {
    const count = argNodes.length + (final === noFinal ? 0 : 1);
    if (name === 'and' || name === 'or') {
      if (count === 0) throw new ExecError(`wrong number of args for ${name}: want at least 1 got 0`, pos);
      let value: unknown;
      const operands: (() => unknown)[] = argNodes.map((node) => () => this.#argument(node, dot));
      if (final !== noFinal) operands.push(() => final);
      for (const operand of operands) {
        value = operand();
        if (name === 'and' ? !isTrue(value) : isTrue(value)) return value;
      }
      return value;
    }
    const fn = this.#functions[name];
    if (!fn) throw new ExecError(`"${name}" is not a defined function`, pos);
    const bounds = arity[name];
    if (bounds && (count < bounds[0] || count > bounds[1])) {
      const want = bounds[0] === bounds[1] ? `${bounds[0]}` : `at least ${bounds[0]}`;
      throw new ExecError(`wrong number of args for ${name}: want ${want} got ${count}`, pos);
    }
    const values = argNodes.map((node) => this.#argument(node, dot));
    if (final !== noFinal) values.push(final);
    try {
      return fn(...values);
    } catch (error) {
      if (error instanceof ExecError) throw error;
      if (error instanceof ArgumentError) throw new ExecError(error.message, pos);
      throw new ExecError(`error calling ${name}: ${(error as Error).message}`, pos);
    }
  }
}

function describeOperand(operand: Operand): string {
  switch (operand.kind) {
    case 'dot':
      return '.';
    case 'constant':
      return typeof operand.value === 'string' ? JSON.stringify(operand.value) : String(operand.value);
    case 'field':
      return `.${operand.chain.join('.')}`;
    case 'variable':
      return operand.name + operand.chain.map((c) => `.${c}`).join('');
    default:
      return operand.kind;
  }
}
