/**
 * The template engine against Go's documented text/template behaviour (pkg.go.dev/text/template
 * and the cases of Go's own exec_test.go and parse_test.go), plus the Sprig functions Traefik
 * users reach for. Expected outputs are what Go prints for the same template and data.
 */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../proxy/template/render-template.js';
import { TemplateError } from '../../../../proxy/template/template-error.js';

const render = (source: string, data: unknown = undefined) =>
  renderTemplate(source, data, { name: 'test.yml' });

function failure(source: string, data: unknown = undefined): TemplateError {
  try {
    render(source, data);
  } catch (error) {
    if (error instanceof TemplateError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(source)} to fail`);
}

describe('text and trimming', () => {
  it('copies text unchanged and prints constants', () => {
    expect(render('plain text, no actions')).toBe('plain text, no actions');
    expect(render('{{ "x" }}{{ 23 }}{{ true }}{{ 1.5 }}{{ 0x1F }}{{ \'a\' }}')).toBe('x23true1.53197');
    expect(render('{{ `raw\\n` }}')).toBe('raw\\n');
    expect(render('{{ "tab\\tand\\u00e9" }}')).toBe('tab\tandé');
  });

  it('trims the whitespace on the side of each dash, as in the package documentation', () => {
    // The documentation's own example.
    expect(render('{{23 -}} < {{- 45}}')).toBe('23<45');
    expect(render('a  \n\t {{- "b" }}  \n c')).toBe('ab  \n c');
    expect(render('a  {{ "b" -}} \n\n c')).toBe('a  bc');
  });

  it('does not take a dash without a space for a trim marker: {{-3}} is minus three', () => {
    expect(render('x {{-3}} y')).toBe('x -3 y');
  });

  it('drops comments, with their trim markers', () => {
    expect(render('a {{/* a comment */}} b')).toBe('a  b');
    expect(render('a {{- /* a comment */ -}} b')).toBe('ab');
    expect(render('a {{/* multi\nline */}}b')).toBe('a b');
  });
});

describe('fields, maps and variables', () => {
  const data = { Name: 'whoami', Labels: { tier: 'web' }, Ports: [80, 443], Nil: null };

  it('reads fields and chains of fields', () => {
    expect(render('{{ .Name }} {{ .Labels.tier }}', data)).toBe('whoami web');
    expect(render('{{ $.Labels.tier }}', data)).toBe('web');
  });

  it('prints <no value> for a missing map key and keeps going through it', () => {
    expect(render('{{ .Missing }}|{{ .Missing.Deeper }}', data)).toBe('<no value>|<no value>');
  });

  it('prints maps and lists as Go prints them', () => {
    expect(render('{{ .Ports }} {{ .Labels }} {{ .Nil }}', data)).toBe('[80 443] map[tier:web] <nil>');
    expect(render('{{ dict "b" 2 "a" 1 }}')).toBe('map[a:1 b:2]');
  });

  it('refuses a field of a non-map, naming the type', () => {
    // Traefik executes file templates with the data `false`.
    expect(failure('{{ .SelfFilename }}', false).message).toContain(
      "can't evaluate field SelfFilename in type bool",
    );
    expect(failure('{{ .Nil.x }}', data).message).toContain('nil pointer evaluating interface {}.x');
  });

  it('declares, assigns and scopes variables to their control structure', () => {
    expect(render('{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ $y := 3 }}{{ $y }}{{ end }}{{ $x }}')).toBe('32');
    expect(render('{{ with $x := "v" }}{{ $x }}{{ end }}')).toBe('v');
    expect(failure('{{ if true }}{{ $y := 3 }}{{ end }}{{ $y }}').message).toContain(
      'undefined variable "$y"',
    );
  });

  it('calls function-valued fields like methods, with arguments', () => {
    const withMethod = { Greet: (who: unknown) => `hello ${who}` };
    expect(render('{{ .Greet "you" }} {{ "me" | .Greet }}', withMethod)).toBe('hello you hello me');
  });
});

describe('pipelines', () => {
  it('passes the value of each command as the last argument of the next', () => {
    expect(render('{{ "abc" | printf "%s-%s" "x" }}')).toBe('x-abc');
    expect(render('{{ "Hello" | lower | upper }}')).toBe('HELLO');
    expect(render('{{ (printf "%d" 3) | len }}')).toBe('1');
  });

  it('refuses an argument for a non-function', () => {
    expect(failure('{{ "x" | 3 }}').message).toContain("can't give argument to non-function 3");
  });

  it('reads fields of a parenthesised pipeline', () => {
    expect(render('{{ (index .list 0).name }}', { list: [{ name: 'first' }] })).toBe('first');
  });
});

describe('if, else if, else and with', () => {
  it('follows Go truth: false, 0, nil, empty string, list and map are false', () => {
    const cases = [false, 0, null, '', [], {}];
    for (const value of cases) expect(render('{{ if . }}T{{ else }}F{{ end }}', value)).toBe('F');
    for (const value of [true, 1, 'x', [0], { a: 0 }])
      expect(render('{{ if . }}T{{ else }}F{{ end }}', value)).toBe('T');
  });

  it('chains else if', () => {
    const t = '{{ if eq . 1 }}one{{ else if eq . 2 }}two{{ else if eq . 3 }}three{{ else }}many{{ end }}';
    expect([1, 2, 3, 4].map((n) => render(t, n))).toEqual(['one', 'two', 'three', 'many']);
  });

  it('with sets dot when the value is non-empty, else runs its else', () => {
    expect(render('{{ with .a }}{{ . }}{{ else }}none{{ end }}', { a: 'x' })).toBe('x');
    expect(render('{{ with .a }}{{ . }}{{ else }}none{{ end }}', { a: '' })).toBe('none');
    expect(render('{{ with .a }}A{{ else with .b }}{{ . }}{{ end }}', { b: 'B' })).toBe('B');
  });
});

describe('range', () => {
  it('ranges over a list, with an index and element variable', () => {
    expect(render('{{ range . }}<{{ . }}>{{ end }}', ['a', 'b'])).toBe('<a><b>');
    expect(render('{{ range $i, $e := . }}{{ $i }}={{ $e }} {{ end }}', ['a', 'b'])).toBe('0=a 1=b ');
    expect(render('{{ range $e := . }}{{ $e }}{{ end }}', ['a', 'b'])).toBe('ab');
  });

  it('ranges over a map in key order', () => {
    expect(render('{{ range $k, $v := . }}{{ $k }}:{{ $v }};{{ end }}', { b: 2, a: 1, c: 3 })).toBe(
      'a:1;b:2;c:3;',
    );
  });

  it('runs else when there is nothing to range over', () => {
    expect(render('{{ range . }}x{{ else }}empty{{ end }}', [])).toBe('empty');
    expect(render('{{ range .missing }}x{{ else }}empty{{ end }}', {})).toBe('empty');
  });

  it('ranges over an integer (Go 1.22) and over until', () => {
    expect(render('{{ range 3 }}{{ . }}{{ end }}')).toBe('012');
    expect(render('{{ range $i, $e := until 3 }}{{ $i }}{{ $e }}{{ end }}')).toBe('001122');
    expect(failure('{{ range $i, $e := 3 }}{{ end }}').message).toContain(
      "can't use 3 to iterate over more than one variable",
    );
  });

  it('supports break and continue, and refuses them outside range', () => {
    expect(
      render(
        '{{ range . }}{{ if eq . 2 }}{{ continue }}{{ end }}{{ if eq . 4 }}{{ break }}{{ end }}{{ . }}{{ end }}',
        [1, 2, 3, 4, 5],
      ),
    ).toBe('13');
    expect(failure('{{ break }}').message).toContain('{{break}} outside {{range}}');
  });

  it('keeps $ as the data at every depth', () => {
    expect(render('{{ range .items }}{{ $.prefix }}{{ . }} {{ end }}', { prefix: '>', items: [1, 2] })).toBe(
      '>1 >2 ',
    );
  });
});

describe('comparison and logic functions', () => {
  it('eq compares with each later argument; ne, lt, le, gt, ge compare two', () => {
    expect(render('{{ eq 1 1 }} {{ eq 1 2 3 1 }} {{ eq "a" "b" }} {{ ne 1 2 }}')).toBe(
      'true true false true',
    );
    expect(render('{{ lt 1 2 }} {{ le 2 2 }} {{ gt 1 2 }} {{ ge 2 3 }} {{ lt "a" "b" }}')).toBe(
      'true true false false true',
    );
  });

  it('refuses to compare an int with a string, and booleans by order', () => {
    expect(failure('{{ eq 1 "1" }}').message).toContain(
      'error calling eq: incompatible types for comparison',
    );
    expect(failure('{{ lt true false }}').message).toContain('error calling lt: invalid type for comparison');
  });

  it('and and or return the deciding operand and stop there; not returns a boolean', () => {
    expect(render('{{ and 1 0 "x" }}|{{ and 1 "x" }}|{{ or 0 "" "y" }}|{{ or 0 "" }}')).toBe('0|x|y|');
    expect(render('{{ not 0 }} {{ not "x" }}')).toBe('true false');
    // The second operand would fail if it were evaluated.
    expect(render('{{ and false (index .list 5) }}', { list: [] })).toBe('false');
    expect(render('{{ or true (index .list 5) }}', { list: [] })).toBe('true');
  });
});

describe('len, index, slice, print', () => {
  it('len counts bytes of a string and elements of lists and maps', () => {
    expect(render('{{ len "héllo" }} {{ len .l }} {{ len .m }}', { l: [1, 2, 3], m: { a: 1 } })).toBe(
      '6 3 1',
    );
    expect(failure('{{ len 3 }}').message).toContain('error calling len: len of type int');
  });

  it('index reads lists and maps, in several dimensions, and checks bounds', () => {
    const data = {
      grid: [
        [1, 2],
        [3, 4],
      ],
      m: { k: ['v'] },
    };
    expect(render('{{ index .grid 1 0 }} {{ index .m "k" 0 }} {{ index .m "none" }}', data)).toBe(
      '3 v <nil>',
    );
    expect(failure('{{ index .grid 5 }}', data).message).toContain(
      'error calling index: index out of range: 5',
    );
  });

  it('slice cuts strings and lists', () => {
    expect(render('{{ slice "abcdef" 1 3 }} {{ slice .l 1 }}', { l: [1, 2, 3] })).toBe('bc [2 3]');
  });

  it('print spaces operands when neither is a string; println always does', () => {
    expect(render('{{ print 1 2 "a" "b" 3 }}')).toBe('1 2ab3');
    expect(render('{{ println 1 "a" }}')).toBe('1 a\n');
  });
});

describe('printf with Go verbs', () => {
  it('formats strings, integers, booleans, quoted and hex values', () => {
    expect(render('{{ printf "%s|%d|%v|%t" "s" 42 .m true }}', { m: { a: 1 } })).toBe('s|42|map[a:1]|true');
    expect(render('{{ printf "%q|%x|%X|%x" "hi\\n" 255 255 "hi" }}')).toBe('"hi\\n"|ff|FF|6869');
    expect(render('{{ printf "%5d|%-5s|%05d|%+d" 42 "ab" 42 7 }}')).toBe('   42|ab   |00042|+7');
  });

  it('formats floats with %f, %e and %g', () => {
    expect(render('{{ printf "%f|%.2f|%e|%g|%v" 3.5 3.14159 1234.5678 0.000012 2.5 }}')).toBe(
      '3.500000|3.14|1.234568e+03|1.2e-05|2.5',
    );
  });

  it('reports mistakes in band, as Go does', () => {
    expect(render('{{ printf "%d" "x" }}')).toBe('%!d(string=x)');
    expect(render('{{ printf "%s %s" "a" }}')).toBe('a %!s(MISSING)');
    expect(render('{{ printf "%s" "a" 1 }}')).toBe('a%!(EXTRA int=1)');
    expect(render('{{ printf "100%%" }}')).toBe('100%');
    expect(render('{{ printf "%T %T %T" 1 "s" .l }}', { l: [] })).toBe('int string []interface {}');
  });
});

describe('define, template and block', () => {
  it('defines named templates and calls them with a value', () => {
    const t =
      '{{ define "server" }}- url: http://{{ . }}{{ end }}{{ range .hosts }}{{ template "server" . }}\n{{ end }}';
    expect(render(t, { hosts: ['a:80', 'b:80'] })).toBe('- url: http://a:80\n- url: http://b:80\n');
  });

  it('block defines and runs in place', () => {
    expect(render('[{{ block "x" . }}{{ . }}{{ end }}]', 'v')).toBe('[v]');
  });

  it('refuses an unknown template and runaway recursion', () => {
    expect(failure('{{ template "nope" }}').message).toContain('no such template "nope"');
    expect(
      failure('{{ define "loop" }}{{ template "loop" }}{{ end }}{{ template "loop" }}').message,
    ).toContain('exceeded maximum template depth');
  });
});

describe('Sprig functions Traefik offers', () => {
  it('env, default, until, seq', () => {
    process.env.AFFINEUR_TEMPLATE_TEST = 'from-env';
    expect(render('{{ env "AFFINEUR_TEMPLATE_TEST" }}|{{ env "AFFINEUR_UNSET_VAR_X" }}')).toBe('from-env|');
    expect(
      render('{{ .missing | default "dflt" }}|{{ "set" | default "dflt" }}|{{ default 8080 0 }}', {}),
    ).toBe('dflt|set|8080');
    expect(render('{{ until 4 }} {{ until -2 }}')).toBe('[0 1 2 3] [0 -1]');
    expect(render('{{ seq 3 }}|{{ seq 2 4 }}|{{ seq 1 2 7 }}|{{ seq 3 1 }}')).toBe(
      '1 2 3|2 3 4|1 3 5 7|3 2 1',
    );
  });

  it('string functions, with Sprig argument order and Traefik split', () => {
    expect(
      render('{{ lower "ABC" }} {{ upper "abc" }} {{ trim "  x  " }} {{ replace "a" "b" "banana" }}'),
    ).toBe('abc ABC x bbnbnb');
    expect(render('{{ split "a,b,c" "," }} {{ join "-" (list "a" "b" 3) }}')).toBe('[a b c] a-b-3');
    expect(render('{{ range split "x:y" ":" }}<{{ . }}>{{ end }}')).toBe('<x><y>');
    expect(render('{{ normalize "my_app.v2 (prod)" }}')).toBe('my-app-v2-prod');
    expect(
      render('{{ trimPrefix "www." "www.example.com" }} {{ hasSuffix ".com" "x.com" }} {{ quote "a\\"b" }}'),
    ).toBe('example.com true "a\\"b"');
  });

  it('list and dict build data for range', () => {
    expect(render('{{ range $k, $v := dict "web" 80 "api" 8080 }}{{ $k }}={{ $v }} {{ end }}')).toBe(
      'api=8080 web=80 ',
    );
    expect(render('{{ $l := list 1 2 }}{{ len $l }} {{ index $l 1 }}')).toBe('2 2');
  });

  it('refuses a wrong argument type as Go does for a typed parameter', () => {
    expect(failure('{{ upper 5 }}').message).toContain('wrong type for value; expected string; got int');
    expect(failure('{{ until "3" }}').message).toContain('wrong type for value; expected int; got string');
  });

  it('takes extra functions, which replace the defaults', () => {
    const out = renderTemplate('{{ shout "x" }} {{ upper "y" }}', undefined, {
      functions: { shout: (s) => `${s}!`, upper: () => 'replaced' },
    });
    expect(out).toBe('x! replaced');
  });
});

describe('errors name the file, line and column', () => {
  it('for a parse error', () => {
    const error = failure('http:\n  routers:\n    r: {{ if }}\n');
    expect(error.code).toBe('AFF_ERR_PROXY_TEMPLATE');
    expect(error.file).toBe('test.yml');
    expect(error.line).toBe(3);
    expect(error.message).toContain('test.yml:3:');
    expect(error.message).toContain('missing value for if');
  });

  it('for an unknown function, at its column', () => {
    const error = failure('a: 1\nb: {{ nope "x" }}');
    expect(error.message).toContain('test.yml:2:7: template: function "nope" not defined');
    expect(error.column).toBe(7);
  });

  it('for unclosed actions and missing ends', () => {
    expect(failure('x {{ .a ').message).toContain('unclosed action');
    expect(failure('{{ if true }}x').message).toContain('{{if}} has no {{end}}');
    expect(failure('{{ end }}').message).toContain('unexpected {{end}}');
    expect(failure('{{ "unterminated }}').message).toContain('unterminated quoted string');
  });

  it('for an execution error, with the action at fault', () => {
    const error = failure('line one\n  {{ index .l 3 }}', { l: [] });
    expect(error.line).toBe(2);
    expect(error.column).toBe(6); // `index`, counted from 1 (Go counts the same place from 0)
    expect(error.message).toContain(
      'executing "test.yml" at <index .l 3>: error calling index: index out of range: 3',
    );
  });
});

describe('limits', () => {
  it('refuses to generate absurdly long lists instead of exhausting memory', () => {
    expect(failure('{{ range until 1000000000 }}{{ end }}').message).toContain(
      'error calling until: more than',
    );
  });
});

describe("cases from Go's exec_test.go", () => {
  const data = {
    SI: [3, 4, 5],
    SIEmpty: [],
    MSI: { one: 1, two: 2, three: 3 },
    MSIone: { one: 1 },
    I: 17,
    U: { V: 'v' },
  };
  const cases: [template: string, output: string][] = [
    ['{{if false}}FALSE{{else if true}}TRUE{{end}}', 'TRUE'],
    ['{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}', '3'],
    ['{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}', '17,true'],
    ['{{print 1 2 3}}', '1 2 3'],
    ['{{print nil}}', '<nil>'],
    ['{{printf "%04x" 127}}', '007f'],
    ['{{printf "%g" 3.5}}', '3.5'],
    ['{{html "<script>alert(\\"XSS\\");</script>"}}', '&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;'],
    ['{{"http://www.example.org/"|urlquery}}', 'http%3A%2F%2Fwww.example.org%2F'],
    ['{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}', 'false 0 0 1'],
    ['{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}', '0 1 true 1'],
    ['{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}', 'FALSE'],
    ['{{with 1.5}}{{.}}{{else}}ZERO{{end}}', '1.5'],
    ['{{with .SI}}{{.}}{{else}}EMPTY{{end}}', '[3 4 5]'],
    ['{{with .MSIone}}{{.}}{{else}}EMPTY{{end}}', 'map[one:1]'],
    ['{{with $x := $}}{{$y := $.U.V}}{{$y}}{{end}}', 'v'],
    ['{{range .MSI}}-{{.}}-{{end}}', '-1--3--2-'],
    ['{{range $x, $y := .MSIone}}<{{$x}}={{$y}}>{{end}}', '<one=1>'],
    ['{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}', '<3><4><5>'],
    ['{{or .SI "slice is empty"}}', '[3 4 5]'],
    ['{{or .SIEmpty "slice is empty"}}', 'slice is empty'],
    ['{{($).I}} {{(dict "up" "down" "left" "right").left}}', '17 right'],
    ['{{printf `%d %d %d` (1) (2 | add 3) (add 4 (add 5 6))}}', '1 5 15'],
    ['{{printf `%T` 0xef}}', 'int'],
    ["{{eq (index `x` 0) 'x'}}", 'true'],
    ['{{"aaa"|printf }}', 'aaa'],
    ['{{dict.a}}', '<no value>'], // a function's result, then a field of it (bug10)
  ];
  it.each(cases)('%s', (template, output) => {
    expect(render(template, data)).toBe(output);
  });

  it.each([
    '{{if nil}}TRUE{{end}}',
    '{{3 | $}}',
    '{{(nil).True}}',
    '{{$x := nil}}',
    '{{$x := (1.0)}}{{$x.anything}}',
    '{{true|printf}}',
    '{{index .SI 10}}',
    '{{index .SI `hello`}}',
    '{{index nil 1}}',
    '{{len 3}}',
    '{{eq `xy` 1}}',
    '{{lt true true}}',
    '{{list.first}}',
  ])('%s fails, as in Go', (template) => {
    expect(() => render(template, data)).toThrow(TemplateError);
  });

  it('names the defined template being executed, as TestExecError expects', () => {
    const source = `line 1
line 2
line 3
{{template "one" .}}
{{define "one"}}{{template "two" .}}{{end}}
{{define "two"}}{{template "three" .}}{{end}}
{{define "three"}}{{index "hi" $}}{{end}}`;
    // Go: template: top:7:20: executing "three" at <index "hi" $>: error calling index: index out of range: 5
    expect(() => renderTemplate(source, 5, { name: 'top' })).toThrow(
      'top:7:21: template: executing "three" at <index "hi" $>: error calling index: index out of range: 5',
    );
  });
});

describe('more Sprig functions', () => {
  it.each([
    ['{{ substr 0 3 "traefik" }}', 'tra'],
    [
      '{{ kebabcase "myAppName" }} {{ snakecase "my app" }} {{ camelcase "http_server" }}',
      'my-app-name my_app HttpServer',
    ],
    ['{{ regexFind "[0-9]+" "web42x" }} {{ regexSplit "," "a,b,c" -1 }}', '42 [a b c]'],
    ['{{ sortAlpha (list "b" "c" "a") }} {{ without (list 1 2 3) 2 }}', '[a b c] [1 3]'],
    ['{{ pick (dict "a" 1 "b" 2) "a" }} {{ omit (dict "a" 1 "b" 2) "a" }}', 'map[a:1] map[b:2]'],
    ['{{ merge (dict "a" 1) (dict "a" 2 "b" 2) }}', 'map[a:1 b:2]'],
    ['{{ (fromJson `{"port": 8080}`).port }} {{ typeOf 1 }} {{ kindOf (list) }}', '8080 int slice'],
    ['{{ (splitn ":" 2 "a:b:c")._1 }}', 'b:c'],
  ])('%s', (template, output) => {
    expect(render(template)).toBe(output);
  });

  it('fail stops the rendering with its message', () => {
    expect(failure('{{ fail "set DOMAIN" }}').message).toContain('error calling fail: set DOMAIN');
  });
});

describe('Sprig regular expressions use Go RE2 syntax', () => {
  it.each([
    ['{{ regexMatch "^[a-z]+\\\\d$" "web1" }}', 'true'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's replacement syntax, not JavaScript's
    ['{{ regexReplaceAll "a(x*)b" "-ab-axxb-" "${1}W" }}', '-W-xxW-'],
    // biome-ignore lint/suspicious/noTemplateCurlyInString: Go's replacement syntax, not JavaScript's
    ['{{ regexReplaceAll "(?P<first>[a-z]+)\\\\.(?P<rest>.*)" "www.example" "${rest}" }}', 'example'],
    ['{{ regexFindAll "[0-9]" "a1b2c3" 2 }}', '[1 2]'],
  ])('%s', (template, output) => {
    expect(render(template)).toBe(output);
  });

  it('refuses a pattern RE2 does not take (a backreference), naming it', () => {
    expect(failure('{{ regexMatch "(a)\\\\1" "aa" }}').message).toContain('invalid regular expression');
  });
});
