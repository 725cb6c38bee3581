export interface EngineTables {}
