/** The parse tree of a Go template; `pos` is an offset in the source, for errors. */

export type TemplateNode =
  | { kind: 'text'; pos: number; text: string }
  | { kind: 'action'; pos: number; pipe: Pipeline }
  | { kind: 'if' | 'with'; pos: number; pipe: Pipeline; list: TemplateNode[]; elseList?: TemplateNode[] }
  | { kind: 'range'; pos: number; pipe: Pipeline; list: TemplateNode[]; elseList?: TemplateNode[] }
  | { kind: 'template'; pos: number; name: string; pipe?: Pipeline }
  | { kind: 'break' | 'continue'; pos: number };

export interface Pipeline {
  pos: number;
  /** Variables declared (`:=`) or assigned (`=`) by this pipeline, e.g. `$i, $e := ...`. */
  vars: string[];
  isAssign: boolean;
  commands: Command[];
}

export interface Command {
  pos: number;
  args: Operand[];
}

export type Operand =
  | { kind: 'dot'; pos: number }
  | { kind: 'field'; pos: number; chain: string[] }
  | { kind: 'variable'; pos: number; name: string; chain: string[] }
  | { kind: 'function'; pos: number; name: string }
  | { kind: 'pipe'; pos: number; pipe: Pipeline; chain: string[] }
  | { kind: 'constant'; pos: number; value: unknown };

export interface ParsedTemplate {
  name: string;
  source: string;
  root: TemplateNode[];
  /** `{{define "x"}}` and `{{block "x"}}` bodies, by name. */
  defines: Map<string, TemplateNode[]>;
}
