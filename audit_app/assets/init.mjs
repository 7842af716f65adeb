// Starts GOV.UK Frontend's components (kept in a file so that the
// Content-Security-Policy can forbid inline scripts).
import { initAll } from "./govuk-frontend.min.js";

initAll();
