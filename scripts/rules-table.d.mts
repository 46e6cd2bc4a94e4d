export const START: string;
export const END: string;
export function rulesTable(rules: ReadonlyArray<{ id: string; scope: string; defaultSeverity: string; summary: string }>): string;
export function replaceTable(readme: string, table: string): string;
