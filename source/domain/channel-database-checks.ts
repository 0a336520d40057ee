/** One line of `cdx channel-db test`: what was checked, and for a failure what to do. */
export type CheckResult = { passed: boolean; text: string; fix?: string };

/** The Retail Server FastTab of a channel database record: where its data is. */
export type RetailServerFields = { serverName: string; databaseName: string };

/**
 * What the Channel database form asks of the client side (the same code as
 * `cdx channel-db test` and `set`), handed to the TUI so it never touches
 * the file system or a database server itself.
 */
export type ChannelDatabaseTools = {
	/** The checks of `cdx channel-db test` on the saved record `recordId`. */
	test(recordId: string): Promise<CheckResult[]>;
	/**
	 * Why saving `fields` on record `recordId` is refused (its client runs, or
	 * its data is kept elsewhere already and must be moved first, with the
	 * command that does it), or null when the save may go ahead.
	 */
	storeChangeRefusal(
		recordId: string,
		fields: RetailServerFields,
	): Promise<string | null>;
};
