/**
 * Finds where a source file names a platform in code: identifiers, string, template and regular
 * expression literals, read from TypeScript's own syntax tree so that comments (which may mention
 * platforms) are not counted.
 */
import ts from 'typescript';

export const PLATFORM_NAME = /telegram|messenger|slack|whatsapp/i;

export interface Naming {
  line: number;
  text: string;
}

const NAMING_KINDS = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.PrivateIdentifier,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** Every identifier or literal of `source` that names a platform, with its line (1-based). */
export function platformNamings(source: string, fileName = 'file.ts'): Naming[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true);
  const out: Naming[] = [];
  const visit = (node: ts.Node): void => {
    if (NAMING_KINDS.has(node.kind)) {
      const text = node.getText(file);
      if (PLATFORM_NAME.test(text)) out.push({ line: file.getLineAndCharacterOfPosition(node.getStart(file)).line + 1, text });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return out;
}
