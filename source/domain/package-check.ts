import {
	type DataPackage,
	packageChecksum,
	signatureMatches,
} from "./package-format.js";

/**
 * Why a package must not be applied. `scope` says who it is bad for: a
 * "package" problem (tampered, misaddressed, replayed) is the same for every
 * channel database of the group, so the file is moved to quarantine; a
 * "database" problem (no valid signature for this database, e.g. its
 * password changed after headquarters signed) concerns this database only,
 * so the file stays for the group's other databases and this one sets a copy
 * aside.
 */
export type PackageProblem = { scope: "package" | "database"; reason: string };

export type DownloadExpectation = {
	dataGroup: string;
	channelDatabase: string;
	key: Uint8Array;
	/** The last sequence of this data group applied here. */
	lastApplied: number;
	/** The sequence the file's name claims. */
	fileSequence: number;
};

/** The first reason not to apply a download package, or null when it may be applied. */
export function downloadPackageProblem(
	pkg: DataPackage,
	expected: DownloadExpectation,
): PackageProblem | null {
	const checksum = packageChecksum(pkg);
	if (checksum !== pkg.checksum)
		return {
			scope: "package",
			reason:
				"bad checksum: the content does not match the checksum it carries (changed after it was created)",
		};
	if (pkg.kind !== "download")
		return {
			scope: "package",
			reason: `wrong kind: an ${pkg.kind} package in the download folder`,
		};
	if (pkg.dataGroup !== expected.dataGroup)
		return {
			scope: "package",
			reason: `wrong data group: addressed to channel data group ${JSON.stringify(pkg.dataGroup)}, not ${JSON.stringify(expected.dataGroup)}`,
		};
	if (pkg.sequence <= expected.lastApplied)
		return {
			scope: "package",
			reason: `replayed: sequence ${pkg.sequence} is not after the last applied sequence ${expected.lastApplied}`,
		};
	if (pkg.sequence !== expected.fileSequence)
		return {
			scope: "package",
			reason: `the file name says sequence ${expected.fileSequence} but the package says ${pkg.sequence}`,
		};
	const signature = Object.hasOwn(pkg.signatures, expected.channelDatabase)
		? pkg.signatures[expected.channelDatabase]
		: undefined;
	if (signature === undefined)
		return {
			scope: "database",
			reason: `missing signature: not signed for channel database ${JSON.stringify(expected.channelDatabase)}`,
		};
	if (!signatureMatches(expected.key, pkg.checksum, signature))
		return {
			scope: "database",
			reason: `bad signature for channel database ${JSON.stringify(expected.channelDatabase)} (signed with other credentials, or altered)`,
		};
	return null;
}
