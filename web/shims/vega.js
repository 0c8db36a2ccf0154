// 'vega' for the page's workers (scripts/build-web.mjs maps the bare import here): the UMD build
// sets globalThis.vega when it is evaluated as a module.
import '../../node_modules/vega/build/vega.min.js';
const vega = globalThis.vega;
export default vega;
export const { parse, View, logger, Warn, Error: ErrorLevel } = vega;
