/**
 * Configuration of mambu-ts: `mambuconfig` (the default instance) and `MambuConfig`, merging
 * defaults < `/etc/mambupy.rc` < `~/.mambupy.rc` < environment < code, read when asked.
 */
export { MambuConfig, mambuconfig, defaultRcFiles } from "./mambuconfig";
export type { MambuConfigOptions, ConfigEntry } from "./mambuconfig";
export type { ResolvedValue } from "./sources";
export { envNames, isSecretKey, isUrlKey, maskUserinfo, KNOWN_KEYS, MASK, DEFAULT_MAX_RESPONSE_BYTES } from "./keys";
export type { KnownKey } from "./keys";
export { parseIni } from "./inireader";
export type { IniDocument, IniEntry } from "./inireader";
export { clearRcFileCache } from "./rcfile";
export { DbSettings, DB_KEYS, DB_DEFAULTS, DB_SECTION, dbEnvNames } from "./db-settings";
export type { DbKey } from "./db-settings";
