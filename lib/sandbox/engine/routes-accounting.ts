/** Engine routes of one servicing area (registered by ./routes.ts). */
import { EngineRoute } from "./context";

/** The routes of this area. */
export const routes: EngineRoute[] = [];
