/** Finds top-level await in a JavaScript module (which bundlers targeting older browsers and require() refuse). */
import ts from 'typescript';

/** Line numbers (1-based) of every `await` / `for await` outside any function in `code`. */
export function topLevelAwaits(code: string, fileName = 'module.js'): number[] {
  const source = ts.createSourceFile(fileName, code, ts.ScriptTarget.ES2022, true, ts.ScriptKind.JS);
  const lines: number[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) || ts.isClassStaticBlockDeclaration(node)) return;
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      lines.push(source.getLineAndCharacterOfPosition(node.getStart()).line + 1);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return lines;
}
