import { spawnSync } from "node:child_process";
import { chmod, chown, mkdir, mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigurationStore } from "../../source/store/configuration-store.js";
import { secretKeyPath } from "../../source/store/secrets.js";
import {
	addProfileArgs,
	buildCdxIfMissing,
	type CdxRun,
	cdxBin,
	runCdx,
} from "../helpers/cdx.js";
import { seedChannelIntegration } from "../helpers/database.js";
import { testNeeding } from "../helpers/mounts.js";

// The service user: nobody (65534) is on every Linux system.
const service = { uid: 65534, gid: 65534 };

const asRoot = testNeeding(
	process.getuid?.() === 0
		? null
		: "this process is not root; it plays the operator who runs sudo cdx",
);

/** `cdx ARGS` as the service user. */
function runAsService(args: string[], env: NodeJS.ProcessEnv = {}): CdxRun {
	const result = spawnSync(process.execPath, [cdxBin, ...args], {
		...service,
		env: { PATH: process.env.PATH, ...env },
		encoding: "utf8",
		timeout: 20_000,
	});
	return {
		status: result.status,
		stdout: result.stdout,
		stderr: result.stderr,
	};
}

/** A database folder the service user owns (0700), in a folder it can reach. */
async function serviceFolder(): Promise<{
	folder: string;
	db: string;
	cleanup: () => Promise<void>;
}> {
	const base = await mkdtemp(join(tmpdir(), "cdx-service-"));
	await chmod(base, 0o755);
	const folder = join(base, "cdx-scheduler");
	await mkdir(folder, { mode: 0o700 });
	await chown(folder, service.uid, service.gid);
	return {
		folder,
		db: join(folder, "db.json"),
		cleanup: () => rm(base, { recursive: true, force: true }),
	};
}

async function ownerOf(path: string) {
	const info = await stat(path);
	return { uid: info.uid, gid: info.gid };
}

asRoot(
	"a save as root (sudo cdx profile set) keeps db.json the service user's, and the service still reads and saves it",
	async (t) => {
		buildCdxIfMissing();
		const { db, cleanup } = await serviceFolder();
		t.teardown(cleanup);
		const added = runAsService(addProfileArgs(db, "STORES"));
		t.is(added.status, 0, added.stderr);

		const set = runCdx([
			"profile",
			"set",
			"STORES",
			"--description",
			"by root",
			"--db",
			db,
		]);
		t.is(set.status, 0, set.stderr);
		t.deepEqual(
			await ownerOf(db),
			service,
			"db.json keeps its owner and group",
		);
		t.is((await stat(db)).mode & 0o777, 0o600);

		const shown = runAsService([
			"profile",
			"show",
			"STORES",
			"--json",
			"--db",
			db,
		]);
		t.is(shown.status, 0, shown.stderr);
		t.is(JSON.parse(shown.stdout).description, "by root");
		const again = runAsService([
			"profile",
			"set",
			"STORES",
			"--upload",
			"20",
			"--db",
			db,
		]);
		t.is(again.status, 0, again.stderr);
	},
);

asRoot(
	"a first password saved as root makes a secret.key the service user owns and can use",
	async (t) => {
		buildCdxIfMissing();
		const { db, cleanup } = await serviceFolder();
		t.teardown(cleanup);
		// Set up by hand: records, and no key yet, all the service's.
		await seedChannelIntegration(await ConfigurationStore.open(db));
		await rm(secretKeyPath(db));
		await chown(db, service.uid, service.gid);
		const rootSet = runCdx(["channel-db", "set", "STORE-1", "--db", db], {
			env: { CDX_PASSWORD: "by root" },
		});
		t.is(rootSet.status, 0, rootSet.stderr);
		t.deepEqual(await ownerOf(db), service);
		t.deepEqual(
			await ownerOf(secretKeyPath(db)),
			service,
			"secret.key is the service's",
		);
		const set = runAsService(["channel-db", "set", "STORE-1", "--db", db], {
			CDX_PASSWORD: "by service",
		});
		t.is(set.status, 0, set.stderr);
	},
);
