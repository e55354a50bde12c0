export { detectLanguage } from './detect.js'
