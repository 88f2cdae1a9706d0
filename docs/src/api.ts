/**
 * The API reference: typedoc over every package's public entry points (each `exports` entry of each
 * `packages/*\/package.json`), read from the TypeScript sources — so it needs no build — and written
 * to `docs/api/`.
 *
 * The reference is also the check that every public export is documented: typedoc's
 * `validation.notDocumented` for every `@snn/*` package, and any warning (an undocumented export, a
 * broken link, a comment typedoc cannot read) fails the build, as `treatWarningsAsErrors` does on
 * typedoc's command line. The tests run the same check (`checkApi`), without writing the site.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import {
  Application, CommentTag, ConsoleLogger, Converter, DeclarationReflection, LogLevel, ReflectionKind, type Comment, type Context,
  type MinimalNode, type MinimalSourceFile, type ProjectReflection, type TypeDocOptions,
} from 'typedoc';
import { classDocProblems, classDocsOf } from './class-docs.js';
import { tutorialFiles } from './pages.js';
import { DOCS_DIR, TUTORIAL_PATH } from './run-blocks.js';

/** The repository root (the docs package is one level down). */
export const ROOT_DIR = join(DOCS_DIR, '..');

/** Where `pnpm run docs` writes the documentation site (the API reference in `api/`). */
export const SITE_DIR = join(DOCS_DIR, 'site');

/** Where `pnpm run docs` writes the API reference, with the tutorial pages rendered beside it. */
export const API_OUT_DIR = join(SITE_DIR, 'api');

/** One public entry point: an import path of a package and the source file behind it. */
export interface ApiEntryPoint {
  /** What users import: `@snn/tensor`, `@snn/tensor/testing`, … */
  readonly importPath: string;
  /** The TypeScript source of that entry. */
  readonly source: string;
  /** The package's folder. */
  readonly packageDir: string;
}

/** Every package folder under `packages/` with a package.json. */
function packageDirs(root: string): string[] {
  const dir = join(root, 'packages');
  return readdirSync(dir).map((d) => join(dir, d)).filter((d) => existsSync(join(d, 'package.json'))).sort();
}

/**
 * The public entry points of every package, from its `exports` map: `./dist/x.js` is built from
 * `src/x.ts`. Entries whose source does not exist (a package still being written) are returned in
 * `missing`, not silently dropped.
 */
export function apiEntryPoints(root = ROOT_DIR): { entries: ApiEntryPoint[]; missing: string[] } {
  const entries: ApiEntryPoint[] = [];
  const missing: string[] = [];
  for (const packageDir of packageDirs(root)) {
    const pkg = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, { import?: string } | string> };
    for (const [key, target] of Object.entries(pkg.exports ?? {})) {
      const built = typeof target === 'string' ? target : target.import;
      if (!built || !/^\.\/dist\/.*\.js$/.test(built)) continue;
      const source = join(packageDir, built.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'));
      const importPath = key === '.' ? pkg.name : `${pkg.name}/${key.replace(/^\.\//, '')}`;
      if (existsSync(source)) entries.push({ importPath, source, packageDir });
      else missing.push(`${importPath} (${relative(root, source)} does not exist)`);
    }
  }
  return { entries, missing };
}

/** The names of the packages whose exports must all be documented. */
function packageNames(entries: readonly ApiEntryPoint[]): string[] {
  return [...new Set(entries.map((e) => e.importPath.split('/').slice(0, 2).join('/')))];
}

/** typedoc's console logger that also keeps every warning and error, for the report and the tests. */
class CollectingLogger extends ConsoleLogger {
  readonly problems: string[] = [];
  override log(message: string, level: Exclude<LogLevel, LogLevel.None>): void {
    if (level === LogLevel.Warn || level === LogLevel.Error) this.problems.push(`${LogLevel[level]}: ${message}`);
    super.log(message, level);
  }

  /** Prefixes `file:line` where typedoc knows where the problem is (its console logger drops it). */
  protected override addContext(message: string, _level: Exclude<LogLevel, LogLevel.None>, ...args: [MinimalNode?] | [number, MinimalSourceFile]): string {
    const [first, second] = args;
    const file = typeof first === 'number' ? second : first?.getSourceFile();
    const pos = typeof first === 'number' ? first : first?.getStart();
    if (!file || pos === undefined) return message;
    return `${relative(ROOT_DIR, file.fileName)}:${file.getLineAndCharacterOfPosition(pos).line + 1}: ${message}`;
  }
}

/** The typedoc options of the reference (shared by the check and the build). */
function typedocOptions(entries: readonly ApiEntryPoint[]): TypeDocOptions {
  const paths: Record<string, string[]> = {};
  for (const e of entries) paths[e.importPath] = [e.source];
  return {
    name: 'snn-ts',
    entryPoints: entries.map((e) => e.source),
    entryPointStrategy: 'resolve',
    tsconfig: join(DOCS_DIR, 'tsconfig.api.json'),
    // One package importing another reads that package's sources too, so a re-export is the same symbol.
    compilerOptions: { paths, baseUrl: ROOT_DIR },
    // The tutorial pages, rendered to HTML in the site (their figures are copied with them).
    projectDocuments: [TUTORIAL_PATH, ...tutorialFiles()],
    readme: 'none',
    excludePrivate: true,
    excludeInternal: true,
    // No source links: the repository has no canonical web address to point them at.
    disableSources: true,
    packagesRequiringDocumentation: packageNames(entries),
    validation: { notExported: false, invalidLink: true, invalidPath: true, rewrittenLink: true, notDocumented: true, unusedMergeModuleWith: true },
    treatWarningsAsErrors: true,
    logLevel: 'Warn',
  };
}

/** Typedoc names a module after its path (`tensor/src/testing`); the reference names it as it is imported. */
function nameModules(project: ProjectReflection, entries: readonly ApiEntryPoint[]): string[] {
  const problems: string[] = [];
  const byPath = new Map<string, string>();
  for (const e of entries) {
    const path = relative(join(ROOT_DIR, 'packages'), e.source).replace(/\.ts$/, '').replace(/\/index$/, '');
    byPath.set(path, e.importPath);
  }
  for (const m of project.children ?? []) {
    const name = byPath.get(m.name);
    if (name !== undefined) m.name = name;
    else if (!entries.some((e) => e.importPath === m.name)) problems.push(`Error: module '${m.name}' is not a package entry point`);
  }
  project.children?.sort((a, b) => a.name.localeCompare(b.name));
  // Neuron models document their equations: every step function of @snn/functional shows one.
  const functional = project.children?.find((m) => m.name === '@snn/functional');
  for (const f of functional?.getChildrenByKind(ReflectionKind.Function) ?? []) {
    if (!/Step$/.test(f.name)) continue;
    const c = f.signatures?.[0]?.comment;
    const text = c ? [c.summary, ...c.blockTags.map((t) => t.content)].map((parts) => parts.map((p) => p.text).join('')).join('\n') : '';
    if (!/\S\s*[=←]\s*\S/.test(text)) problems.push(`Error: @snn/functional.${f.name} shows no equation (in its comment or its file's overview)`);
  }
  // A package's overview page is its entry file's first comment, marked `@module`.
  for (const m of project.children ?? []) {
    if (!m.hasComment()) problems.push(`Error: ${m.name} has no module comment (the entry file's first comment, with a @module tag)`);
  }
  return problems;
}

/** The step functions, time loops and cells of a model file: where a reader looks for the model's equations. */
const MODEL_FUNCTION = /(Step|Integral)$|^stdpStep/;

/**
 * The overview of a source file: its first comment, when it opens the file and is followed by an
 * import (so it belongs to the file, not to a declaration), as markdown without the comment's stars.
 */
export function fileOverview(file: ts.SourceFile): string | undefined {
  const first = file.statements[0];
  if (!first || !ts.isImportDeclaration(first)) return undefined;
  const range = ts.getLeadingCommentRanges(file.text, 0)?.[0];
  if (!range || !file.text.startsWith('/**', range.pos)) return undefined;
  const body = file.text.slice(range.pos + 3, range.end - 2);
  return body.split('\n').map((line) => line.replace(/^\s*\* ?/, '')).join('\n').trim() || undefined;
}

/** A model file's reference to the spec file that holds its equations: `spec/models/<model>.ts`. */
const SPEC_FILE_REFERENCE = /spec\/models\/[\w-]+\.ts/g;

/**
 * The overview of a model file, followed by the overview of every spec file it names
 * (`spec/models/<model>.ts`, relative to it): the equations are written once, in the spec file, and
 * shown with the model's functions.
 */
export function modelOverview(file: ts.SourceFile): string | undefined {
  const own = fileOverview(file);
  if (!own) return undefined;
  const specs = [...new Set(own.match(SPEC_FILE_REFERENCE) ?? [])].map((ref) => join(dirname(file.fileName), ref)).filter((path) => path !== file.fileName && existsSync(path));
  const shown = specs.map((path) => fileOverview(ts.createSourceFile(path, readFileSync(path, 'utf8'), ts.ScriptTarget.Latest, true))).filter((text): text is string => text !== undefined);
  return [own, ...shown].join('\n\n');
}

/**
 * A model file states its equations once, in its spec file's first comment (the file overview). Typedoc drops an
 * overview of a file that is not an entry point, so this shows it where readers look: under every
 * step function and time loop (`…Step`, `…Integral`) and every class of a file that defines a cell,
 * as the "Remarks" of their documentation. The text stays in one place, in the source.
 *
 * `collect` runs as each declaration is created (the only time the TypeScript program is at hand);
 * `attach` runs once everything is converted, when the signatures' comments exist.
 */
class ModelOverviews {
  private readonly byFile = new Map<string, string | undefined>();
  private readonly found: { refl: DeclarationReflection; file: string }[] = [];

  collect = (context: Context, refl: DeclarationReflection): void => {
    if (!refl.kindOf(ReflectionKind.Function | ReflectionKind.Class)) return;
    const sourceFile = context.getSymbolFromReflection(refl)?.declarations?.[0]?.getSourceFile();
    if (!sourceFile) return;
    const file = sourceFile.fileName;
    if (!this.byFile.has(file)) this.byFile.set(file, modelOverview(sourceFile));
    if (this.byFile.get(file)) this.found.push({ refl, file });
  };

  attach = (): void => {
    const cellFiles = new Set(this.found.filter(({ refl }) => refl.kindOf(ReflectionKind.Class) && refl.name.endsWith('Cell')).map((f) => f.file));
    for (const { refl, file } of this.found) {
      const isFunction = refl.kindOf(ReflectionKind.Function);
      if (isFunction ? !MODEL_FUNCTION.test(refl.name) : !cellFiles.has(file)) continue;
      const target = isFunction ? refl.signatures?.[0] : refl;
      const overview = this.byFile.get(file)!;
      if (!target?.comment || target.comment.blockTags.some((t) => t.tag === '@remarks')) continue;
      target.comment.blockTags.push(new CommentTag('@remarks', [{ kind: 'text', text: overview }]));
    }
  };
}

/** The result of converting (and checking) the API. */
export interface ApiCheck {
  /** Every warning and error: an undocumented export, an unreadable comment, a broken link… */
  readonly problems: string[];
  /** Entry points listed in a package.json whose source is missing. */
  readonly missing: string[];
  /** The import paths documented. */
  readonly modules: string[];
}

async function convert(): Promise<{ app: Application; project: ProjectReflection | undefined; check: ApiCheck }> {
  const { entries, missing } = apiEntryPoints();
  const app = await Application.bootstrapWithPlugins(typedocOptions(entries));
  const overviews = new ModelOverviews();
  app.converter.on(Converter.EVENT_CREATE_DECLARATION, overviews.collect);
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, overviews.attach);
  const logger = new CollectingLogger();
  logger.level = LogLevel.Warn;
  app.logger = logger;
  const project = await app.convert();
  const naming = project ? nameModules(project, entries) : ['Error: typedoc could not convert the project'];
  // Every class says how to build it and what it gives back (class-docs.ts).
  if (project) naming.push(...classDocsOf(project).flatMap(classDocProblems));
  if (project) app.validate(project);
  const problems = [...logger.problems, ...naming];
  return { app, project, check: { problems, missing, modules: project?.children?.map((c) => c.name) ?? [] } };
}

/** Converts and validates every package's API without writing anything. */
export async function checkApi(): Promise<ApiCheck> {
  return (await convert()).check;
}

/** Checks the API and, when nothing is wrong, writes the HTML reference to `out`. Throws listing every problem otherwise. */
export async function buildApi(out = API_OUT_DIR): Promise<ApiCheck> {
  const { app, project, check } = await convert();
  if (check.problems.length > 0 || !project) {
    throw new Error(`API reference: ${check.problems.length} problem(s):\n${check.problems.join('\n')}`);
  }
  await app.generateDocs(project, out);
  if (app.logger.hasErrors() || app.logger.hasWarnings()) {
    throw new Error(`API reference: typedoc reported problems while writing ${out}:\n${(app.logger as CollectingLogger).problems.join('\n')}`);
  }
  return check;
}
