/** The records' schemas (record-schemas.ts), loaded on first use: zod is not in the start bundle. */
export const schemas = () => import('./record-schemas')

export type RecordSchemas = typeof import('./record-schemas')
