/**
 * Units and people: the public surface of core/units.
 *
 *   parseLevel("TH&THCS")                       // levels as officials write them
 *   await importUnits(db, "units.xlsx")         // all-or-nothing import with line-numbered errors
 *   await createInvite(db, "TH-HOAMAI")          // single-use deep-link code
 *   await redeemInvite(db, code, { id: "123" })  // ok | used | unknown
 *   await registerByPhone(db, { id }, phone)     // bind every unit with that focal phone
 *   await scopeOf(db, user)                      // { role, unitCodes, under }
 */
// Levels and kinds
export * from "./levels.ts";
// Phone numbers
export { normalizePhone, looksLikePhone } from "./phone.ts";
// Hierarchy
export * from "./tree.ts";
// Import
export {
  importUnits,
  readUnitFile,
  recomputePaths,
  UnitFileError,
  type ImportError,
  type ImportSummary,
  type RawUnitRow,
  type UnitFileProblem,
  type UnitImportProblem,
  type UnitRowProblem,
} from "./import.ts";
// People
export * from "./people.ts";
