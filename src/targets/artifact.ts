/** One generated file: its name inside the output folder and its exact bytes. */
export interface Artifact {
  /** Relative to the output folder, `/`-separated: `bruno/<spec>/…` files live in a folder per spec. */
  fileName: string;
  content: string;
}
