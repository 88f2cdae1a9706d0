/**
 * The READMEs npm shows (the root's and every public package's), as pages whose ```ts blocks are complete
 * programs — checked and run by `readmes.test.ts` exactly as the tutorial's are.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { extractCodeBlocks, type CodeBlock } from './markdown.js';
import { DOCS_DIR } from './run-blocks.js';

/** The repository root (docs/ is one level down). */
const ROOT = join(DOCS_DIR, '..');

/** One README: its path from the repository root, its text and its runnable blocks. */
export interface Readme {
  readonly path: string;
  readonly markdown: string;
  readonly blocks: CodeBlock[];
}

/** The root README and the README of every package under packages/ that is not private. */
export function readReadmes(): Readme[] {
  const packages = readdirSync(join(ROOT, 'packages')).map((d) => join(ROOT, 'packages', d))
    .filter((dir) => existsSync(join(dir, 'package.json')))
    .filter((dir) => !(JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { private?: boolean }).private);
  const files = [join(ROOT, 'README.md'), ...packages.map((dir) => join(dir, 'README.md'))];
  return files.map((file) => {
    const path = relative(ROOT, file);
    if (!existsSync(file)) return { path, markdown: '', blocks: [] };
    const markdown = readFileSync(file, 'utf8');
    return { path, markdown, blocks: extractCodeBlocks(markdown) };
  });
}
