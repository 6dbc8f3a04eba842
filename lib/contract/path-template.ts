/**
 * Path templates of the API contracts (`/loans/{loanAccountId}:writeOff`): compiled once into a
 * regular expression with the parameter names and a specificity rank per segment, so that the
 * library (matching a request to its operation) and the sandbox (routing) order templates alike.
 */

/** A compiled path template. */
export interface CompiledPathTemplate {
  /** Matches a whole path; one capture group per parameter, in order (a parameter never spans a `/`). */
  re: RegExp;
  /** The parameter names, in order. */
  names: string[];
  /** Per segment: 2 literal, 1 literal with parameters, 0 parameter only. */
  rank: number[];
}

const escapeRe = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Compiles a template such as `/loans/{loanAccountId}/schedule` (it starts with `/`). */
export function compilePathTemplate(template: string): CompiledPathTemplate {
  const names: string[] = [];
  const rank: number[] = [];
  const src = template
    .split("/")
    .slice(1)
    .map((seg) => {
      let hasParam = false;
      let hasLiteral = false;
      const out = seg
        .split(/(\{[^}]+\})/)
        .map((p) => {
          const m = /^\{([^}]+)\}$/.exec(p);
          if (m) {
            hasParam = true;
            names.push(m[1]!);
            return "([^/]+?)";
          }
          if (p) hasLiteral = true;
          return escapeRe(p);
        })
        .join("");
      rank.push(hasParam ? (hasLiteral ? 1 : 0) : 2);
      return out;
    })
    .join("/");
  return { re: new RegExp(`^/${src}$`), names, rank };
}

/** Orders two compiled templates most specific first (segment ranks left to right). 0 when they tie. */
export function compareSpecificity(a: CompiledPathTemplate, b: CompiledPathTemplate): number {
  for (let i = 0; i < Math.min(a.rank.length, b.rank.length); i++) {
    if (a.rank[i] !== b.rank[i]) return b.rank[i]! - a.rank[i]!;
  }
  return 0;
}
