// Small conversions between records and SQL values, shared by the repositories.
export const num = (v: number | string): number => (typeof v === "number" ? v : Number(v));
export const orNull = (v: string | undefined): string | null => v ?? null;
export const orUndef = (v: string | null): string | undefined => v ?? undefined;
