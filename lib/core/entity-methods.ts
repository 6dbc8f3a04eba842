/**
 * The methods every entity has besides reading and writing, each installed on
 * `MambuEntity.prototype` by its own module: documents (attachments.ts), comments (comments.ts),
 * link custom fields (link-fields.ts) and reassignment (reassign.ts). Those modules import
 * entity.ts, so entity.ts cannot import them: every entity file imports this module instead, so
 * that importing any entity (or `mambu-ts`) gives every entity all of them.
 */
import "./attachments";
import "./comments";
import "./link-fields";
import "./reassign";
