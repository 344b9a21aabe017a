/**
 * Account investigation: one account's sign-ins, networks, sessions and the directory-audit events around its
 * findings, through the named queries account_signins and account_audits (any engine).
 *
 * @example
 * ```ts
 * import { investigateAccount } from "./mod.ts";
 * const story = await investigateAccount(run, "hana.novak@contoso.example", { findings });
 * ```
 * @module
 */
export { investigateAccount, type InvestigateOptions } from "./investigate_account.ts";
export { investigateStore } from "./investigate_store.ts";
export { assembleInvestigation, auditWindow, findingDay, suspiciousAddresses } from "./assemble.ts";
export type { AccountAudit, AccountNetwork, AccountSession, AccountSignIn, Investigation } from "./types.ts";
