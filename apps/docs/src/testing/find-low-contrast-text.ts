/** One run of text whose colour is too close to its background, as {@link findLowContrastText} reports it. */
export interface LowContrastText {
  /** The start of the text. */
  text: string;
  /** The element holding it: tag and classes, for example `SPAN.hljs-keyword`. */
  element: string;
  /** Its colour and background, as computed, for example `rgb(215, 58, 73) on rgb(246, 248, 250)`. */
  colors: string;
  /** The contrast ratio, to two decimals. */
  ratio: number;
  /** The ratio WCAG 2 level AA asks of this text: 4.5, or 3 for large text. */
  required: number;
}

/**
 * Runs in the page (pass it to Playwright's `page.evaluate`, with the root's selector): every visible text
 * under the root (text clipped to a pixel, for screen readers only, aside) whose contrast with its background is under WCAG 2 level AA (4.5:1, or 3:1 for text of
 * 24px, or bold of 18.66px, and up). The background is the nearest opaque one of the element and its
 * ancestors, with the translucent ones between blended over it (white when there is none). Colours are read
 * as `rgb()`, `rgba()`, `color(srgb ...)` and `color(display-p3 ...)` (converted to sRGB, out-of-gamut
 * clipped); text in any other form is skipped. Self-contained: the page has no imports.
 */
export function findLowContrastText(rootSelector: string): LowContrastText[] {
  type Rgba = { r: number; g: number; b: number; a: number };
  const toLinear = (value: number) =>
    Math.sign(value) *
    (Math.abs(value) <= 0.04045 ? Math.abs(value) / 12.92 : ((Math.abs(value) + 0.055) / 1.055) ** 2.4);
  const toGamma = (value: number) =>
    value <= 0.0031308 ? 12.92 * value : 1.055 * value ** (1 / 2.4) - 0.055;
  const clamp = (value: number) => Math.min(255, Math.max(0, value * 255));
  /** Display P3 to sRGB (both D65, the same transfer function), through linear light; out-of-gamut is clipped. */
  const displayP3ToSrgb = (red: number, green: number, blue: number): [number, number, number] => {
    const [r, g, b] = [red, green, blue].map(toLinear) as [number, number, number];
    return [
      1.2249401 * r - 0.2249404 * g + 0 * b,
      -0.0420569 * r + 1.0420571 * g + 0 * b,
      -0.0196376 * r - 0.0786361 * g + 1.0982735 * b,
    ].map((value) => clamp(toGamma(Math.min(1, Math.max(0, value))))) as [number, number, number];
  };
  const parse = (color: string): Rgba | undefined => {
    const rgb = /^rgba?\(([^)]+)\)$/.exec(color);
    if (rgb !== null) {
      const [r = 0, g = 0, b = 0, a = 1] = (rgb[1] ?? '')
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return { r, g, b, a };
    }
    const space = /^color\((srgb|display-p3) ([^)]+)\)$/.exec(color);
    if (space === null) return undefined;
    const [red = 0, green = 0, blue = 0, a = 1] = (space[2] ?? '')
      .split(/[\s/]+/)
      .filter(Boolean)
      .map(Number);
    const [r, g, b] =
      space[1] === 'srgb'
        ? [red, green, blue].map((value) => clamp(Math.min(1, Math.max(0, value))))
        : displayP3ToSrgb(red, green, blue);
    return { r: r ?? 0, g: g ?? 0, b: b ?? 0, a };
  };
  const over = (top: Rgba, base: Rgba): Rgba => ({
    r: top.r * top.a + base.r * (1 - top.a),
    g: top.g * top.a + base.g * (1 - top.a),
    b: top.b * top.a + base.b * (1 - top.a),
    a: 1,
  });
  const luminance = ({ r, g, b }: Rgba): number => {
    const linear = (channel: number) => {
      const value = channel / 255;
      return value <= 0.03928 ? value / 12.92 : ((value + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  };
  const backgroundOf = (start: Element): Rgba | undefined => {
    const layers: Rgba[] = [];
    for (let element: Element | null = start; element !== null; element = element.parentElement) {
      const layer = parse(getComputedStyle(element).backgroundColor);
      if (layer === undefined) return undefined;
      if (layer.a === 0) continue;
      layers.push(layer);
      if (layer.a >= 1) break;
    }
    return layers.reduceRight<Rgba>((base, layer) => over(layer, base), { r: 255, g: 255, b: 255, a: 1 });
  };
  const found: LowContrastText[] = [];
  const seen = new Set<string>();
  for (const root of document.querySelectorAll(rootSelector)) {
    const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
      const text = node.textContent?.trim() ?? '';
      const element = node.parentElement;
      if (text === '' || element === null || element.getClientRects().length === 0) continue;
      // Text clipped to a pixel or less is for screen readers only (`sr-only`): nobody reads its colour.
      const box = element.getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      const style = getComputedStyle(element);
      if (style.visibility !== 'visible' || Number(style.opacity) === 0) continue;
      if (element instanceof HTMLButtonElement && element.disabled) continue;
      const color = parse(style.color);
      const background = backgroundOf(element);
      if (color === undefined || background === undefined) continue;
      const foreground = over(color, background);
      const [light, dark] = [luminance(foreground), luminance(background)].sort((x, y) => y - x) as [
        number,
        number,
      ];
      const ratio = Math.floor(((light + 0.05) / (dark + 0.05)) * 100) / 100;
      const size = Number.parseFloat(style.fontSize);
      const large = size >= 24 || (Number(style.fontWeight) >= 700 && size >= 18.66);
      const required = large ? 3 : 4.5;
      if (ratio >= required) continue;
      const name = `${element.tagName}${element.classList.length > 0 ? `.${[...element.classList].join('.')}` : ''}`;
      const colors = `${style.color} on rgb(${Math.round(background.r)}, ${Math.round(background.g)}, ${Math.round(background.b)})`;
      const key = `${name} ${colors}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push({ text: text.slice(0, 40), element: name, colors, ratio, required });
    }
  }
  return found;
}
