# model2c.awk - a model file as the C string default_model (make model).
BEGIN {
	print "/* The built-in model: made by `make model` from the labelled data"
	print " * (classify(1), MODEL FILE).  Do not edit; `classify --print-model`"
	print " * prints it. */"
	print "#include \"defmodel.h\""
	print ""
	print "const char default_model[] ="
}
{
	gsub(/\\/, "\\\\"); gsub(/"/, "\\\""); gsub(/\?/, "\\?"); gsub(/\t/, "\\t")
	print "\"" $0 "\\n\""
}
END { print ";" }
