// The layer graph as a picture: DOT text, and SVG rendered from it.
export { dotString, graphToDot, htmlText } from "./to-dot.js";
export { renderDotToSvg } from "./to-svg.js";
