import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import test from "ava";
import { libpqSettings } from "../../../source/client/channel-data/libpq-environment.js";
import { PostgresChannelDatabase } from "../../../source/client/channel-data/postgres.js";
import { makeTempFolder } from "../../helpers/database.js";
import { testNeeding } from "../../helpers/mounts.js";
import {
	asSuperuser,
	makeTestDatabase,
	postgresUnavailable,
	testServer,
	withEnvironment,
} from "../../helpers/postgres.js";

const serialTest = testNeeding(postgresUnavailable(), { serial: true });

/** A user service file and a system folder with its own pg_service.conf, as an operator writes them. */
async function serviceFiles(user: string, system: string) {
	const folder = await makeTempFolder();
	const userFile = join(folder, "user.pg_service.conf");
	const systemFolder = join(folder, "etc");
	await mkdir(systemFolder);
	await writeFile(userFile, user);
	await writeFile(join(systemFolder, "pg_service.conf"), system);
	return { PGSERVICEFILE: userFile, PGSYSCONFDIR: systemFolder };
}

test("a service in the user's file wins over the system file's; a setting there wins over its variable", async (t) => {
	const files = await serviceFiles(
		"# the store's own\n[store]\nuser = clerk\nsslmode=require\n",
		"[store]\nuser=system-clerk\npassword=from system\n[other]\nuser=x\n",
	);
	const settings = libpqSettings({
		...files,
		PGSERVICE: "store",
		PGUSER: "from-variable",
		PGPASSWORD: "variable password",
	});
	t.is(settings.user, "clerk");
	t.is(
		settings.password,
		"variable password",
		"the system file is not read once the user file has the service",
	);
	t.deepEqual(settings.ssl, { rejectUnauthorized: false });
});

test("a service only the system file has is taken from there; one in neither is refused naming both files", async (t) => {
	const files = await serviceFiles(
		"[elsewhere]\nuser=a\n",
		"[store]\nuser=b\nport=5433\n",
	);
	t.is(libpqSettings({ ...files, PGSERVICE: "store" }).user, "b");
	const error = t.throws(() =>
		libpqSettings({ ...files, PGSERVICE: "nowhere" }),
	);
	t.is(
		error?.message,
		`PGSERVICE: service "nowhere" is defined in neither ${files.PGSERVICEFILE} nor ${files.PGSYSCONFDIR}/pg_service.conf`,
	);
});

test("a service file that is not INI is refused naming the file and the line", async (t) => {
	const files = await serviceFiles("[store]\nuser=a\nnot a setting\n", "");
	const error = t.throws(() => libpqSettings({ ...files, PGSERVICE: "store" }));
	t.is(
		error?.message,
		`syntax error in service file ${files.PGSERVICEFILE}, line 3`,
	);
});

test("PGSSLMODE means what it means to libpq: require encrypts unchecked, verify-ca checks the chain only, verify-full the host too; prefer falls back", (t) => {
	t.like(libpqSettings({ PGSSLMODE: "disable" }), { ssl: false });
	t.like(libpqSettings({ PGSSLMODE: "allow" }), { ssl: false });
	t.like(libpqSettings({}), {
		ssl: { rejectUnauthorized: false },
		sslFallback: true,
	});
	t.like(libpqSettings({ PGSSLMODE: "require" }), {
		ssl: { rejectUnauthorized: false },
		sslFallback: false,
	});
	const verifyCa = libpqSettings({ PGSSLMODE: "verify-ca" }).ssl || undefined;
	t.is(typeof verifyCa?.checkServerIdentity, "function");
	t.is(verifyCa?.rejectUnauthorized, undefined, "checked (Node's default)");
	t.deepEqual(libpqSettings({ PGSSLMODE: "verify-full" }).ssl, {});
	t.is(
		t.throws(() => libpqSettings({ PGSSLMODE: "sometimes" }))?.message,
		'sslmode "sometimes" is not one of disable, allow, prefer, require, verify-ca, verify-full',
	);
	t.is(
		t
			.throws(() =>
				libpqSettings({
					PGSSLMODE: "verify-full",
					PGSSLROOTCERT: "/nonexistent/root.crt",
				}),
			)
			?.message.split(":")[0],
		"sslrootcert /nonexistent/root.crt",
	);
});

serialTest(
	"the client connects as the service file's user with its password, over PGUSER; a server without TLS is refused under require, used under prefer",
	async (t) => {
		const database = await makeTestDatabase(t);
		const role = `cdx_service_${database.slice(-6)}`;
		await asSuperuser(async (client) => {
			await client.query(
				`CREATE ROLE ${role} LOGIN PASSWORD 'service horse' IN ROLE cdx_needs_password`,
			);
			await client.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
		});
		t.teardown(() =>
			asSuperuser(async (client) => {
				await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
				await client.query(`DROP ROLE IF EXISTS ${role}`);
			}),
		);
		const files = await serviceFiles(
			`[store]\nuser=${role}\npassword=service horse\n`,
			"",
		);
		const opened = await withEnvironment(
			{
				...files,
				PGSERVICE: "store",
				PGUSER: "postgres",
				PGSSLMODE: undefined,
			},
			() => PostgresChannelDatabase.open(testServer(), database),
		);
		t.teardown(() => opened.close());
		const who = await opened.query("SELECT current_user AS who");
		t.deepEqual(who.ok ? who.rows : who, [{ who: role }]);

		const { host, port } = testServer();
		const refused = await withEnvironment(
			{ ...files, PGSERVICE: "store", PGSSLMODE: "require" },
			() => t.throwsAsync(PostgresChannelDatabase.open(testServer(), database)),
		);
		t.is(
			refused?.message,
			`PostgreSQL server ${host}:${port}, database ${database}: the server does not support TLS (SSL) connections, which the sslmode asks for; turn ssl on in the server, or set sslmode prefer or disable (PGSSLMODE, or the service file)`,
		);
	},
);
