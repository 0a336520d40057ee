import { Box, render, Text, useApp, useInput } from "ink";
import { useEffect, useState } from "react";

/**
 * The baseline for start-up, memory and idle cost: a bare Ink app, bundled
 * like cdx (bench/lib/hello-world.ts). With --tick it shows a clock that
 * changes once a second, as the live panel does; q quits.
 */
function Hello({ tick }: { tick: boolean }) {
	const { exit } = useApp();
	const [now, setNow] = useState(() => new Date());
	useEffect(() => {
		if (!tick) return;
		const timer = setInterval(() => setNow(new Date()), 1000);
		return () => clearInterval(timer);
	}, [tick]);
	useInput((input) => {
		if (input === "q") exit();
	});
	return (
		<Box flexDirection="column">
			<Text>Hello, world</Text>
			{tick && <Text>{now.toLocaleTimeString("en-GB")}</Text>}
			<Text dimColor>q quit</Text>
		</Box>
	);
}

const instance = render(<Hello tick={process.argv.includes("--tick")} />);
await instance.waitUntilExit();
