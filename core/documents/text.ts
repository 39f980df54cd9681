/**
 * Plan-text checks shared by every reader of plan text (the extractor's blocks and retrieval's
 * parser), so both skip the same broken lines. The check lives with the shared structure reader
 * (core/documents/structure.ts); this module keeps its old import path.
 *
 *   isGarbled("K ?   HO ? CH     C huy ? n đ ? i s ?")   // true: a font whose glyphs did not map to Unicode
 *   isGarbled("Bình dân học vụ số là gì?")               // false
 */
export { isGarbled } from "./structure.ts";
