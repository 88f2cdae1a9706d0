/**
 * The rule for a class's documentation: a reader of the API reference learns from it how to build the class
 * and what it gives back, without opening the source. Checked over every exported class of every package
 * (typedoc's reflections, `classDocsOf`), as part of the API check that fails the docs build and its test:
 *
 * 1. **Options**: every constructor parameter has a description (`@param name …`: what it is, its
 *    default and units where it has them; an options object's fields are documented on its interface).
 * 2. **Outputs**: the class's own comment says what it gives back — a class with a `forward` shows the
 *    call and its result, `forward(…) → …` (with shapes), and any other class uses `→`, or says what
 *    it "returns", "outputs", "yields" or "gives".
 */
import { ReflectionKind, type DeclarationReflection, type ProjectReflection } from 'typedoc';

/** What the rule reads of one class. */
export interface ClassDoc {
  /** `module.ClassName`, for messages. */
  readonly name: string;
  /** The class's own comment (summary and block tags) as text; '' when it has none. */
  readonly comment: string;
  /** The constructor's parameters with their descriptions ('' when undocumented). */
  readonly params: readonly { readonly name: string; readonly doc: string }[];
  /** Whether the class has a `forward` method (own or inherited). */
  readonly hasForward: boolean;
}

const FORWARD_OUTPUT = /forward\([^)]*\)[^\n]*?(→|->|returns)/i;
const ANY_OUTPUT = /→|\breturns?\b|\boutputs?\b|\byields?\b|\bgives?\b/i;

/** What is missing from one class's documentation, as messages naming the class; [] when it follows the rule. */
export function classDocProblems(c: ClassDoc): string[] {
  const problems: string[] = [];
  for (const p of c.params) {
    if (p.doc.trim() === '') problems.push(`Error: ${c.name}: constructor parameter '${p.name}' has no description (a @param in the constructor's comment)`);
  }
  if (c.hasForward ? !FORWARD_OUTPUT.test(c.comment) : !ANY_OUTPUT.test(c.comment)) {
    problems.push(c.hasForward
      ? `Error: ${c.name}: the class comment does not show what forward gives back (expected \`forward(…) → …\`, with shapes)`
      : `Error: ${c.name}: the class comment does not say what the class gives back (→, returns, outputs, yields or gives)`);
  }
  return problems;
}

function text(parts: readonly { text: string }[] | undefined): string {
  return (parts ?? []).map((p) => p.text).join('');
}

/** The classes of every module of `project`, as the rule reads them. */
export function classDocsOf(project: ProjectReflection): ClassDoc[] {
  const out: ClassDoc[] = [];
  for (const m of project.children ?? []) {
    for (const c of m.getChildrenByKind(ReflectionKind.Class) as DeclarationReflection[]) {
      const comment = c.comment ? [text(c.comment.summary), ...c.comment.blockTags.map((t) => `${t.tag} ${text(t.content)}`)].join('\n') : '';
      const ctor = c.getChildrenByKind(ReflectionKind.Constructor)[0] as DeclarationReflection | undefined;
      const params = (ctor?.signatures?.[0]?.parameters ?? []).map((p) => ({ name: p.name, doc: text(p.comment?.summary) }));
      const hasForward = c.getChildrenByKind(ReflectionKind.Method).some((x) => x.name === 'forward');
      out.push({ name: `${m.name}.${c.name}`, comment, params, hasForward });
    }
  }
  return out;
}
