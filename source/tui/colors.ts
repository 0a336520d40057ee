import { createContext, useContext } from "react";

export type Color = "red" | "yellow" | "green" | "cyan" | "gray";

/** False when the operator asked for no colour (NO_COLOR); bold, dim and inverse stay. */
export const ColorsContext = createContext(true);

/**
 * The colour to paint with, or none when colours are off. Nothing may rest
 * on colour alone: every coloured message also has a word or a symbol.
 */
export function useColor(): (color: Color) => Color | undefined {
	const enabled = useContext(ColorsContext);
	return (color) => (enabled ? color : undefined);
}
