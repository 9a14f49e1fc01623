// The modules Postman's sandbox lends a script through require(): its own btoa and atob, which
// every Postman runtime keeps, with or without the legacy globals.
declare module 'btoa' {
  const encode: (text: string) => string;
  export = encode;
}
declare module 'atob' {
  const decode: (text: string) => string;
  export = decode;
}
