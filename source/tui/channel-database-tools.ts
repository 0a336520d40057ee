import { createContext, useContext } from "react";
import type { ChannelDatabaseTools } from "../domain/channel-database-checks.js";

const unavailable = () =>
	Promise.reject(
		new Error("the channel database tools are not available here"),
	);

/**
 * The client side's checks for the Channel database form (`cdx channel-db
 * test`, the store-change guard of `set`), provided by whoever renders the
 * app: the TUI itself never touches the file system or a database server.
 */
export const ChannelDatabaseToolsContext = createContext<ChannelDatabaseTools>({
	test: unavailable,
	storeChangeRefusal: unavailable,
});

export function useChannelDatabaseTools(): ChannelDatabaseTools {
	return useContext(ChannelDatabaseToolsContext);
}
