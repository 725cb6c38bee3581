export interface LrsTables {}
