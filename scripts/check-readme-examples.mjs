#!/usr/bin/env node
// Type-checks every ```ts example of README.md in the current package folder against the package, with the
// package's tsconfig, so that an example a consumer copies compiles. Each example is checked as its own
// module: its import lines at the top, the rest inside an async function (so `await`, `await using` and a
// `return` of a fragment are allowed). The names an example uses without defining them (`client`,
// `params`, ...) come from `readme-examples.context.ts` next to the README, when there is one: every name
// it exports is defined for every example (an example's own declaration of the name wins).
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import ts from 'typescript';

const folder = process.cwd();
const readme = readFileSync(join(folder, 'README.md'), 'utf8');
const contextPath = join(folder, 'readme-examples.context.ts');
const hasContext = existsSync(contextPath);

/** The ```ts blocks of a markdown text, with the README line of each block's first code line. */
function tsExamples(markdown) {
  const examples = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (lines[index].trim() !== '```ts') continue;
    const start = index + 1;
    let end = start;
    while (end < lines.length && lines[end].trim() !== '```') end++;
    examples.push({ line: start + 1, code: lines.slice(start, end) });
    index = end;
  }
  return examples;
}

/** Whether a line starts an import declaration (examples write each import on its own lines, at the top). */
const isImportStart = (line) => /^import\s/.test(line);

/** The module text of one example, and for each of its lines the README line it came from (or -1). */
function exampleModule(example) {
  const out = [];
  const origin = [];
  const push = (text, readmeLine = -1) => {
    out.push(text);
    origin.push(readmeLine);
  };
  const body = [];
  for (let i = 0; i < example.code.length; i++) {
    const line = example.code[i];
    if (isImportStart(line)) {
      // A multi-line import runs until the line with its module specifier.
      let j = i;
      push(line, example.line + i);
      while (!/from\s+['"][^'"]+['"];?\s*$/.test(example.code[j]) && j + 1 < example.code.length) {
        j++;
        push(example.code[j], example.line + j);
      }
      i = j;
    } else {
      body.push([line, example.line + i]);
    }
  }
  if (hasContext) push(`import * as readmeExampleContext from ${JSON.stringify(contextPath)};`);
  push('export async function readmeExample(): Promise<unknown> {');
  if (hasContext) {
    const names = contextNames();
    if (names.length > 0) push(`  const { ${names.join(', ')} } = readmeExampleContext;`);
  }
  push('  {');
  for (const [line, readmeLine] of body) push(line, readmeLine);
  push('  }');
  push('  return undefined;');
  push('}');
  return { text: out.join('\n'), origin };
}

let cachedNames;
/** The names `readme-examples.context.ts` exports. */
function contextNames() {
  if (cachedNames !== undefined) return cachedNames;
  const source = ts.createSourceFile(contextPath, readFileSync(contextPath, 'utf8'), ts.ScriptTarget.Latest);
  const names = [];
  for (const statement of source.statements) {
    const exported = ts.canHaveModifiers(statement)
      ? ts.getModifiers(statement)?.some((modifier) => modifier.kind === ts.SyntaxKind.ExportKeyword)
      : false;
    if (ts.isVariableStatement(statement) && exported) {
      for (const declaration of statement.declarationList.declarations) {
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
      }
    } else if ((ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement)) && exported) {
      if (statement.name !== undefined) names.push(statement.name.text);
    } else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly && statement.exportClause) {
      if (ts.isNamedExports(statement.exportClause)) {
        for (const element of statement.exportClause.elements) {
          if (!element.isTypeOnly) names.push(element.name.text);
        }
      }
    }
  }
  cachedNames = names;
  return names;
}

const configPath = ts.findConfigFile(folder, ts.sys.fileExists, 'tsconfig.json');
if (configPath === undefined) throw new Error(`no tsconfig.json in ${folder}`);
const config = ts.getParsedCommandLineOfConfigFile(
  configPath,
  {},
  { ...ts.sys, onUnRecoverableConfigFileDiagnostic() {} },
);
if (config === undefined) throw new Error(`cannot read ${configPath}`);

const examples = tsExamples(readme);
const virtual = new Map();
for (const [index, example] of examples.entries()) {
  virtual.set(resolve(folder, `readme-example-${index + 1}.ts`), { ...exampleModule(example), example });
}

const host = ts.createCompilerHost(config.options);
const { getSourceFile, fileExists, readFile } = host;
host.fileExists = (fileName) => virtual.has(resolve(fileName)) || fileExists.call(host, fileName);
host.readFile = (fileName) => virtual.get(resolve(fileName))?.text ?? readFile.call(host, fileName);
host.getSourceFile = (fileName, languageVersion, ...rest) => {
  const entry = virtual.get(resolve(fileName));
  if (entry !== undefined) return ts.createSourceFile(fileName, entry.text, languageVersion, true);
  return getSourceFile.call(host, fileName, languageVersion, ...rest);
};

const program = ts.createProgram({
  rootNames: [...virtual.keys()],
  options: { ...config.options, noEmit: true, noUnusedLocals: false, noUnusedParameters: false },
  host,
});
const problems = [];
for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
  const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
  const entry = diagnostic.file === undefined ? undefined : virtual.get(resolve(diagnostic.file.fileName));
  if (entry === undefined) {
    // A problem outside the examples (the context file, a declaration) is a problem of the check too.
    const where =
      diagnostic.file === undefined
        ? ''
        : `${diagnostic.file.fileName}:${diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0).line + 1}: `;
    problems.push(`${where}${message}`);
    continue;
  }
  const { line } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0);
  const readmeLine = entry.origin[line];
  const where =
    readmeLine === undefined || readmeLine === -1
      ? `the example at line ${entry.example.line}`
      : `line ${readmeLine}`;
  problems.push(`README.md ${where}: ${message}`);
}
if (problems.length > 0) {
  process.stderr.write(
    `README.md examples that do not compile:\n${problems.map((p) => `  ${p}`).join('\n')}\n`,
  );
  process.exitCode = 1;
} else {
  process.stdout.write(`README.md: ${examples.length} TypeScript examples compile.\n`);
}
