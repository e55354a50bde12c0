export type { CompiledTaxonomy } from './tag.js'
export { compileTaxonomy, tagJourney } from './tag.js'
