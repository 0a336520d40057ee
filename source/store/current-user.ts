import { hostname, userInfo } from "node:os";

/** Who is at the keyboard, as saves and requests to a client record it: user@host. */
export function currentUser(): string {
	return `${userInfo().username}@${hostname()}`;
}
