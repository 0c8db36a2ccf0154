// 'vega-lite' for the page's workers (see vega.js): needs globalThis.vega first.
import './vega.js';
import '../../node_modules/vega-lite/build/vega-lite.min.js';
const vl = globalThis.vegaLite;
export default vl;
export const { compile } = vl;
