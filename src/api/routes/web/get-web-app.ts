import { installWebStatic } from '../../../server/web-static.ts';
import { defineRoutes } from '../../types.ts';

// The admin web app (dist/web) at /, with the SPA fallback; see src/server/web-static.ts.
export default defineRoutes((app) => {
  installWebStatic(app);
});
