/** Nearest-rank percentile (p in 0–100) of `values`; NaN when there are none. */
export function percentile(values: readonly number[], p: number): number {
	if (values.length === 0) return Number.NaN;
	const sorted = [...values].sort((a, b) => a - b);
	const rank = Math.ceil((p / 100) * sorted.length);
	return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

export function median(values: readonly number[]): number {
	return percentile(values, 50);
}

export function mean(values: readonly number[]): number {
	return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** Rounded for reports: 3 significant digits, at most 3 decimals. */
export function round(value: number): number {
	if (!Number.isFinite(value)) return value;
	const digits = Math.abs(value) >= 100 ? 0 : Math.abs(value) >= 10 ? 1 : 2;
	const factor = 10 ** Math.min(3, digits);
	return Math.round(value * factor) / factor;
}

export type Distribution = {
	count: number;
	p50: number;
	p90: number;
	p99: number;
	max: number;
};

export function distribution(values: readonly number[]): Distribution {
	return {
		count: values.length,
		p50: round(percentile(values, 50)),
		p90: round(percentile(values, 90)),
		p99: round(percentile(values, 99)),
		max: round(Math.max(...values)),
	};
}

export const pause = (ms: number) =>
	new Promise<void>((resolve) => setTimeout(resolve, ms));
