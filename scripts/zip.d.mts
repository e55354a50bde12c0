/** See zip.mjs: a ZIP archive of texts (stored or deflated), or of data deflated already with its inflated size. */
export function zipArchive(files: Record<string, string | { deflated: Buffer; size: number }>, stored?: boolean): Buffer
