// Import first in every webview entry: zod probes `new Function` (to compile fast parsers) when it builds an object
// schema; the webview CSP forbids eval and reports the probe as a violation, so tell zod before any schema exists.
import * as z from 'zod';

z.config({ jitless: true });
