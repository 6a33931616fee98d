"""Performance assessment (绩效考核): weighted indicator schemes scored for facilities or areas, ranked."""
