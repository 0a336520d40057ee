/**
 * The statement an operator typed, split into its words outside quotes and
 * comments. Only a first screen: the engine also checks the compiled
 * statement and runs it on a connection that cannot write.
 */
function wordsOf(sql: string): { words: string[]; statements: number } {
	const words: string[] = [];
	let statements = 0;
	let current = "";
	let inStatement = false;
	const endWord = () => {
		if (current !== "") words.push(current.toUpperCase());
		current = "";
	};
	for (let index = 0; index < sql.length; index++) {
		const char = sql[index] as string;
		const next = sql[index + 1];
		if (char === "-" && next === "-") {
			endWord();
			const end = sql.indexOf("\n", index);
			index = end === -1 ? sql.length : end;
			continue;
		}
		if (char === "/" && next === "*") {
			endWord();
			const end = sql.indexOf("*/", index + 2);
			index = end === -1 ? sql.length : end + 1;
			continue;
		}
		if (char === "'" || char === '"' || char === "`" || char === "[") {
			endWord();
			if (!inStatement) statements += 1;
			inStatement = true;
			const close = char === "[" ? "]" : char;
			let end = index + 1;
			for (;;) {
				end = sql.indexOf(close, end);
				if (end === -1 || sql[end + 1] !== close || close === "]") break;
				end += 2;
			}
			index = end === -1 ? sql.length : end;
			words.push(char === "'" ? "'…'" : '"…"');
			continue;
		}
		if (char === ";") {
			endWord();
			inStatement = false;
			words.push(";");
			continue;
		}
		if (/\s/.test(char)) {
			endWord();
			continue;
		}
		if (!inStatement) statements += 1;
		inStatement = true;
		if (/[A-Za-z0-9_]/.test(char)) current += char;
		else {
			endWord();
			words.push(char);
		}
	}
	endWord();
	return { words, statements };
}

/** Why `sql` is not one statement that only reads, as far as its text shows; null when it may run. */
export function readOnlyStatementProblem(sql: string): string | null {
	const { words, statements } = wordsOf(sql);
	if (statements === 0) return "no SQL statement given";
	if (statements > 1) return "only one statement can be run at a time";
	const first = words[0];
	if (first === "PRAGMA" && words.includes("="))
		return "a PRAGMA that sets a value is not allowed here";
	if (first === "ATTACH" || first === "DETACH")
		return `${first} is not allowed here`;
	return null;
}
