import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { PostgresChannelDatabase } from "../../../source/client/channel-data/postgres.js";
import type { TableSchema } from "../../../source/domain/table-schema.js";
import { makeTempFolder } from "../../helpers/database.js";
import { engines } from "../../helpers/engines.js";
import { testNeeding } from "../../helpers/mounts.js";
import {
	asSuperuser,
	forgetfulRelay,
	makeTestDatabase,
	postgresUnavailable,
	testServer,
	testSocketServer,
	withEnvironment,
} from "../../helpers/postgres.js";

// What only a database server does: refuse, go away, come back. The rest is engine.test.ts.
const test = testNeeding(postgresUnavailable());
const serialTest = testNeeding(postgresUnavailable(), { serial: true });
const postgres = engines.find((engine) => engine.name === "postgresql");

const prices: TableSchema = {
	key: ["key"],
	columns: { key: "text", price: "decimal" },
};

/** Cuts every connection the client has to `database`, as a server restart would. */
const cutClientConnections = (database: string) =>
	asSuperuser((client) =>
		client.query(
			"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'cdx client'",
			[database],
		),
	);

test("a database that does not exist: one line naming the server and the database, and how to create it", async (t) => {
	const { host, port } = testServer();
	const error = await t.throwsAsync(
		PostgresChannelDatabase.open(testServer(), "cdx_no_such_database"),
	);
	t.is(
		error?.message,
		`PostgreSQL server ${host}:${port}, database cdx_no_such_database: database "cdx_no_such_database" does not exist; create it (createdb -h ${host} -p ${port} cdx_no_such_database) or correct Retail Server: database`,
	);
});

test("a server nobody listens on: one line naming it", async (t) => {
	const error = await t.throwsAsync(
		PostgresChannelDatabase.open({ host: "127.0.0.1", port: 1 }, "shop"),
	);
	t.is(
		error?.message,
		"PostgreSQL server 127.0.0.1:1, database shop: the server refused the connection (is PostgreSQL running and listening there?); start the server, or correct Retail Server: server; the next run tries again",
	);
});

serialTest(
	"a password the server refuses: one line naming server, database and user; the right one from ~/.pgpass is taken",
	async (t) => {
		const database = await makeTestDatabase(t);
		const role = `cdx_clerk_${database.slice(-6)}`;
		await asSuperuser(async (client) => {
			await client.query(
				`CREATE ROLE ${role} LOGIN PASSWORD 'right horse' IN ROLE cdx_needs_password`,
			);
			// As a store server is set up: createdb -O <the client's role>.
			await client.query(`ALTER DATABASE ${database} OWNER TO ${role}`);
		});
		t.teardown(() =>
			asSuperuser(async (client) => {
				await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
				await client.query(`DROP ROLE IF EXISTS ${role}`);
			}),
		);
		const { host, port } = testServer();
		const refused = await withEnvironment(
			{ PGUSER: role, PGPASSWORD: "wrong", PGPASSFILE: undefined },
			() => t.throwsAsync(PostgresChannelDatabase.open(testServer(), database)),
		);
		t.is(
			refused?.message,
			`PostgreSQL server ${host}:${port}, database ${database}: password authentication failed for user "${role}"; give the client's credentials through PGUSER and PGPASSWORD or ~/.pgpass`,
		);
		const passwordFile = join(await makeTempFolder(), "pgpass");
		await writeFile(
			passwordFile,
			`${host}:${port}:${database}:${role}:right horse\n`,
			{
				mode: 0o600,
			},
		);
		const opened = await withEnvironment(
			{ PGUSER: role, PGPASSWORD: undefined, PGPASSFILE: passwordFile },
			() => PostgresChannelDatabase.open(testServer(), database),
		);
		t.teardown(() => opened.close());
		t.is(await opened.read((reader) => reader.record("none")), null);
	},
);

test("the server cutting the connection mid-transaction fails that write with a readable reason, commits none of it, and the next call connects again", async (t) => {
	if (postgres === undefined) return t.fail();
	const database = await postgres.open(t);
	const name = database.location.split("/").pop() ?? "";
	const error = await t.throwsAsync(
		database.write(async (transaction) => {
			await transaction.createTable("PRICES", prices);
			await transaction.upsert("PRICES", prices, [{ key: "A", price: 1 }]);
			await cutClientConnections(name);
			await transaction.setRecord("download-progress", "1");
		}),
	);
	// The server says why before it closes, or the socket closes first:
	// which one the driver sees first is a race, and both read as a restart.
	t.regex(
		error?.message ?? "",
		new RegExp(
			`^PostgreSQL server [^,]+, database ${name}: .*(closed the connection|stopped or restarted)`,
		),
	);
	t.is((await database.read((reader) => reader.tables())).size, 0);
	t.is(
		await database.read((reader) => reader.record("download-progress")),
		null,
	);
});

test("a connection the server dropped while idle is replaced on the next call", async (t) => {
	if (postgres === undefined) return t.fail();
	const database = await postgres.open(t);
	const name = database.location.split("/").pop() ?? "";
	await cutClientConnections(name);
	await database.write((transaction) =>
		transaction.setRecord("download-progress", "2"),
	);
	t.is(
		await database.read((reader) => reader.record("download-progress")),
		"2",
	);
});

test("a connection dropped while idle without a word (a firewall's idle timeout) fails at BEGIN with nothing run, and the same call runs on a new connection", async (t) => {
	const name = await makeTestDatabase(t);
	const relay = await forgetfulRelay(testServer());
	t.teardown(() => relay.close());
	const database = await PostgresChannelDatabase.open(relay.server, name);
	t.teardown(() => database.close());
	const opening = relay.connectionsOpened();
	relay.forgetConnections();
	await database.write((transaction) =>
		transaction.setRecord("download-progress", "3"),
	);
	const reopened = relay.connectionsOpened();
	t.true(reopened > opening, "the write connected again");
	t.is(
		await database.read((reader) => reader.record("download-progress")),
		"3",
	);
	t.is(relay.connectionsOpened(), reopened, "and the next call kept that");
});

test("the server's Unix socket folder works as the server (libpq's convention)", async (t) => {
	const socket = testSocketServer();
	if (socket === null)
		return t.pass("the cluster script gave no socket folder");
	const name = await makeTestDatabase(t);
	const database = await PostgresChannelDatabase.open(socket, name);
	t.teardown(() => database.close());
	t.is(
		database.location,
		`postgresql://${encodeURIComponent(socket.host)}:${socket.port}/${name}`,
	);
	t.is(await database.read((reader) => reader.record("none")), null);
});
