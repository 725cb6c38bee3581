/** The Type column's text for a training's own type (spec "Learning Path-related changes"). */
export const trainingTypeLabel = (typeSql: string): string =>
  `case ${typeSql} when 'course' then 'Course' when 'learning_path' then 'Learning Path (Higher Level)' when 'certification' then 'Certification' end`;
