// esbuild bundles the style sheet that main.ts imports into app.css.
declare module "*.css";
