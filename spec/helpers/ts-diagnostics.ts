/**
 * What a user's project reports for its own files: the pre-emit diagnostics of the root files of a
 * TypeScript program (syntax and types), with the program's option and global diagnostics — not those
 * of every file of lib/ the program reaches through "mambu-ts". The checker then types only the parts
 * of lib/ the root files use, instead of checking all of it again in every test that compiles a
 * sample (lib/ itself is checked, in full and under the same strictness, by `npm test`'s
 * `tsc -p spec/tsconfig.json --noEmit`).
 */
import * as ts from "typescript";

/** The diagnostics of the program's root files, sorted as `ts.getPreEmitDiagnostics` sorts them. */
export function diagnosticsOf(program: ts.Program): readonly ts.Diagnostic[] {
  const out: ts.Diagnostic[] = [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics()];
  for (const name of program.getRootFileNames()) {
    const file = program.getSourceFile(name);
    if (file === undefined) throw new Error(`${name} is a root file the program did not read`);
    out.push(...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file));
  }
  // after the files: the checker adds global diagnostics (conflicting global declarations…) as it goes
  out.push(...program.getGlobalDiagnostics());
  return ts.sortAndDeduplicateDiagnostics(out);
}
