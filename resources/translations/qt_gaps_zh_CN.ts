<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<!-- Words Qt's own file chooser asks for that its catalogue (qtbase_zh_CN.qm) lacks.
     Compiled to qt_gaps_zh_CN.qm by: pyside6-lrelease qt_gaps_zh_CN.ts -->
<TS version="2.1" language="zh_CN">
<context>
    <name>QAbstractFileIconProvider</name>
    <message>
        <source>Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>File Folder</source>
        <translation>文件夹</translation>
    </message>
    <message>
        <source>Drive</source>
        <translation>驱动器</translation>
    </message>
    <message>
        <source>File</source>
        <translation>文件</translation>
    </message>
    <message>
        <source>Shortcut</source>
        <translation>快捷方式</translation>
    </message>
</context>
</TS>
