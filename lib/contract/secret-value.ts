/**
 * The type of a credential (a field the contract marks `"secret": true`: `ApiKey.apiKey`, `SecretKey.secretKey`,
 * `ApiKeyRotationResult.apiKey`/`secretKey`, `ApiKeyRotation.apiKey`). Type only, and structural: the generated
 * types (lib/generated, at the bottom of the layers) may not import lib/transport, where the class that has
 * this shape lives — `Secret`, which prints `****` everywhere and gives its value only to `reveal()`. The ORM's
 * answers (`api.*`, entities) hold `Secret`s at these fields; its request bodies take a `Secret` or the text.
 */

/** A credential that never prints its value: `reveal()` gives it, `label` says what it is (e.g. `"API key"`). */
export interface SecretValue {
  /** What the credential is, for messages; never the value. */
  readonly label: string;
  /** The credential itself. */
  reveal(): string;
}
